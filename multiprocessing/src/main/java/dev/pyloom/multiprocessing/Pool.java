package dev.pyloom.multiprocessing;

import dev.pyloom.ipc.Json;
import dev.pyloom.ipc.internal.ExitSequence;
import dev.pyloom.multiprocessing.internal.Bootstrapping;
import dev.pyloom.multiprocessing.internal.ChildClasspath;
import dev.pyloom.multiprocessing.internal.Failure;
import dev.pyloom.multiprocessing.internal.Invocation;
import dev.pyloom.multiprocessing.internal.TaskRef;
import dev.pyloom.multiprocessing.internal.Wire;
import dev.pyloom.multiprocessing.spi.PoolAccess;
import dev.pyloom.multiprocessing.spi.Relay;
import dev.pyloom.multiprocessing.spi.RemotePlaces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * A pool of worker processes: Python's {@code multiprocessing.Pool}. Each worker is a JVM started
 * from this one's {@code java} and class path; tasks and results travel as JSON.
 *
 * <pre>{@code
 * Pool pool = new Pool(4);
 * for (int i = 0; i < 5; i++) {
 *     pool.applyAsync(Demo::longTimeTask, i);     // the fifth waits for a free worker
 * }
 * List<Integer> squares = pool.map(Demo::square, List.of(1, 2, 3));   // [1, 4, 9]
 * pool.shutdown();                                // Python's close()
 * pool.join();
 * }</pre>
 *
 * <p>Where CPython's pool fails, this one does not:
 * <ul>
 *   <li>a worker that dies (killed, out of memory, {@code System.exit}) fails only the task it
 *       was running, with a {@link WorkerDiedException} naming it and its exit code; a
 *       replacement starts, the other tasks complete, and {@code close()} returns;</li>
 *   <li>a callback or error callback that throws is reported (logged with its task), and the
 *       pool keeps delivering the other results;</li>
 *   <li>an argument that cannot be encoded, an unknown method or a wrong number of arguments
 *       fails at submission; a result that cannot be encoded fails its task alone;</li>
 *   <li>{@link #terminate()} fails every task not yet finished at once, instead of leaving
 *       their results pending forever;</li>
 *   <li>workers that cannot start at all (a failing initializer, a bad JVM option) break the
 *       pool after a few tries, failing what is queued, instead of retrying forever;</li>
 *   <li>when this JVM dies, even by SIGKILL, its workers exit on their own;</li>
 *   <li>jobs and answers of any size (up to the 1 GiB frame limit) never deadlock the
 *       connection to a worker.</li>
 * </ul>
 *
 * <p>The workers get this program's classes wherever they come from (plain jars, a Spring Boot
 * jar, Maven's {@code exec:java}, Surefire, the module path): see the README's launch shapes,
 * and {@link Builder#classPath(List)} for what nothing can derive. A pool created in a worker
 * while it initializes a task's class (a static field of the class whose methods are the tasks)
 * is refused: Python's "bootstrapping phase" rule. At exit, a pool still running is terminated,
 * as Python's are.
 *
 * <p>Threads and order: tasks start in submission order, each on the first free worker.
 * Callbacks run one at a time, in order of completion, on the pool's result-handler thread,
 * and a result with a callback becomes ready after it. A result without one is completed on
 * the thread of the worker's place: stages composed on {@link AsyncResult#toCompletableFuture()}
 * without an executor run there, so keep them short, or use the {@code *Async} forms.
 *
 * <p>{@link #close()} keeps Java's contract, {@code ExecutorService.close()}'s: no new tasks,
 * the queued ones run, and it returns when the workers are gone. Try-with-resources calls it.
 * Python's {@code close()}, which returns at once, is {@link #shutdown()}, followed as in Python
 * by {@link #join()}. Python's {@code with Pool() as p:} calls {@code terminate()} instead: call
 * that yourself if that is what you want.
 */
public final class Pool implements AutoCloseable {

    private static final AtomicInteger NUMBER = new AtomicInteger();

    /** The classes whose frames are pyloom's when looking for the code that creates a pool. */
    private static final Set<Class<?>> API = Set.of(Pool.class, Builder.class);

    static {
        ExitSequence.beforeSocketsClose(PoolRuntime::stopLive); // at exit, a pool still running is terminated
        PoolAccess.install(new PoolAccess() {
            @Override
            public Pool remotePool(String kind, RemotePlaces places) {
                return new Pool(kind, places);
            }

            @Override
            public Relay relay(Pool pool, String label, byte[] task, byte[] calls, int size, Duration timeLimit,
                    Relay.Outcome outcome) {
                return pool.submitter.relay(label, task, calls, size, timeLimit, outcome);
            }

            @Override
            public byte[] failureFrame(long id, Throwable failure) {
                return Wire.failure(id, Failure.of(failure));
            }
        });
    }

    private final String name;

    /** The places and what they share: the queue, the workers, the result handler. */
    private final PoolRuntime runtime;
    /** Turns the calls below into jobs on the runtime's queue. */
    private final Submitter submitter;

    /** A pool with one worker per processor, {@link Multiprocessing#cpuCount()}. Python's {@code Pool()}. */
    public Pool() {
        this(Multiprocessing.cpuCount());
    }

    /**
     * A pool of {@code processes} workers. Python's {@code Pool(processes)}.
     *
     * @throws IllegalArgumentException if {@code processes} is less than one
     */
    public Pool(int processes) {
        this(builder().processes(processes));
    }

    private Pool(Builder options) {
        Bootstrapping.check("a Pool");
        this.name = "Pool-" + NUMBER.incrementAndGet();
        int processes = options.processes > 0 ? options.processes : Multiprocessing.cpuCount();
        ChildClasspath classes = workerClasses(options);
        if (options.initializerClass != null) {
            classes.requireCovers(options.initializerClass, "the initializer " + options.initializer.describe());
        }
        this.runtime = new PoolRuntime(name, processes, options.maxTasksPerChild, options.interruptGrace,
                options.initializer, options.initArgs, List.copyOf(options.jvmOptions), classes);
        this.submitter = new Submitter(runtime);
    }

    /* A pool whose jobs run at remote places: see PoolAccess.remotePool. */
    private Pool(String kind, RemotePlaces places) {
        Bootstrapping.check("a " + kind);
        this.name = kind + "-" + NUMBER.incrementAndGet();
        this.runtime = new PoolRuntime(name, places);
        this.submitter = new Submitter(runtime);
    }

    /*
     * What the workers load: given by the builder, or derived from the class loaders of the code
     * that creates the pool, the thread's context and pyloom's own.
     */
    private static ChildClasspath workerClasses(Builder options) {
        if (options.classes.isGiven()) {
            return options.classes.get();
        }
        Class<?> caller = ChildClasspath.callerOutside(API);
        List<Class<?>> anchors = new ArrayList<>();
        if (caller != null) {
            anchors.add(caller);
        }
        if (options.initializerClass != null) {
            anchors.add(options.initializerClass);
        }
        try {
            return ChildClasspath.derive(anchors);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the workers' class path: " + e.getMessage(), e);
        }
    }

    /** Options beyond the number of processes: initializer, maxTasksPerChild, interrupt grace, JVM options, class path. */
    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------ apply

    /** Runs {@code func()} in a worker and waits for its result. Python's {@code apply(func)}. */
    public <R> R apply(Task.Call0<R> func) throws Exception {
        return await(applyAsync(func));
    }

    /**
     * Runs {@code func(a)} in a worker and waits for its result. Python's {@code apply(func, (a,))}.
     *
     * <p>A thread interrupted while it waits gets an {@code InterruptedException}, and its task
     * is withdrawn if no worker has taken it yet; one that runs goes on, and its result is
     * dropped. So for {@code map} and {@code starmap}: their chunks still queued are withdrawn.
     *
     * @throws Exception whatever the task threw (the original type, with the worker's stack trace
     *                   as its cause), or a {@link WorkerDiedException}
     */
    public <A, R> R apply(Task.Call1<A, R> func, A a) throws Exception {
        return await(applyAsync(func, a));
    }

    /** Runs {@code func(a, b)} in a worker and waits for its result. */
    public <A, B, R> R apply(Task.Call2<A, B, R> func, A a, B b) throws Exception {
        return await(applyAsync(func, a, b));
    }

    /** Runs {@code func(a, b, c)} in a worker and waits for its result. */
    public <A, B, C, R> R apply(Task.Call3<A, B, C, R> func, A a, B b, C c) throws Exception {
        return await(applyAsync(func, a, b, c));
    }

    /** Runs {@code func()}, which returns nothing, in a worker and waits for it. */
    public void apply(Task.Run0 func) throws Exception {
        await(applyAsync(func));
    }

    /** Runs {@code func(a)}, which returns nothing, in a worker and waits for it. */
    public <A> void apply(Task.Run1<A> func, A a) throws Exception {
        await(applyAsync(func, a));
    }

    /** Runs {@code func(a, b)}, which returns nothing, in a worker and waits for it. */
    public <A, B> void apply(Task.Run2<A, B> func, A a, B b) throws Exception {
        await(applyAsync(func, a, b));
    }

    /** Runs {@code func(a, b, c)}, which returns nothing, in a worker and waits for it. */
    public <A, B, C> void apply(Task.Run3<A, B, C> func, A a, B b, C c) throws Exception {
        await(applyAsync(func, a, b, c));
    }

    // ------------------------------------------------------------------ applyAsync

    /** Queues {@code func()}; returns at once. Python's {@code apply_async(func)}. */
    public <R> AsyncResult<R> applyAsync(Task.Call0<R> func) {
        return submitter.apply(func, List.of(), null, null);
    }

    /**
     * Queues {@code func(a)}; returns at once. Python's {@code apply_async(func, (a,))}.
     *
     * @throws IllegalArgumentException if the task or its argument cannot be sent to a worker
     * @throws IllegalStateException    if the pool is closed or terminated
     */
    public <A, R> AsyncResult<R> applyAsync(Task.Call1<A, R> func, A a) {
        return submitter.apply(func, Collections.singletonList(a), null, null);
    }

    /** Queues {@code func(a, b)}; returns at once. */
    public <A, B, R> AsyncResult<R> applyAsync(Task.Call2<A, B, R> func, A a, B b) {
        return submitter.apply(func, Arrays.asList(a, b), null, null);
    }

    /** Queues {@code func(a, b, c)}; returns at once. */
    public <A, B, C, R> AsyncResult<R> applyAsync(Task.Call3<A, B, C, R> func, A a, B b, C c) {
        return submitter.apply(func, Arrays.asList(a, b, c), null, null);
    }

    /** Queues {@code func()}, which returns nothing; returns at once. */
    public AsyncResult<Void> applyAsync(Task.Run0 func) {
        return submitter.apply(func, List.of(), null, null);
    }

    /** Queues {@code func(a)}, which returns nothing; returns at once. Python's {@code apply_async(func, (a,))}. */
    public <A> AsyncResult<Void> applyAsync(Task.Run1<A> func, A a) {
        return submitter.apply(func, Collections.singletonList(a), null, null);
    }

    /** Queues {@code func(a, b)}, which returns nothing; returns at once. */
    public <A, B> AsyncResult<Void> applyAsync(Task.Run2<A, B> func, A a, B b) {
        return submitter.apply(func, Arrays.asList(a, b), null, null);
    }

    /** Queues {@code func(a, b, c)}, which returns nothing; returns at once. */
    public <A, B, C> AsyncResult<Void> applyAsync(Task.Run3<A, B, C> func, A a, B b, C c) {
        return submitter.apply(func, Arrays.asList(a, b, c), null, null);
    }

    /**
     * Queues {@code func(a)} with callbacks. Python's
     * {@code apply_async(func, (a,), callback=..., error_callback=...)}: {@code callback} gets the
     * result, {@code errorCallback} the exception; both run on the pool's result-handler thread,
     * before the result is ready. Either may be null.
     *
     * <p>There is no such form for a task that returns nothing (Java could not tell the two apart
     * when a callback is a lambda): use {@code applyAsync(func, a).toCompletableFuture()} and
     * compose on that.
     */
    public <A, R> AsyncResult<R> applyAsync(Task.Call1<A, R> func, A a,
            Consumer<? super R> callback, Consumer<? super Throwable> errorCallback) {
        return submitter.apply(func, Collections.singletonList(a), callback, errorCallback);
    }

    /** Queues {@code func()} with callbacks; see {@link #applyAsync(Task.Call1, Object, Consumer, Consumer)}. */
    public <R> AsyncResult<R> applyAsync(Task.Call0<R> func,
            Consumer<? super R> callback, Consumer<? super Throwable> errorCallback) {
        return submitter.apply(func, List.of(), callback, errorCallback);
    }

    /** Queues {@code func(a, b)} with callbacks; see {@link #applyAsync(Task.Call1, Object, Consumer, Consumer)}. */
    public <A, B, R> AsyncResult<R> applyAsync(Task.Call2<A, B, R> func, A a, B b,
            Consumer<? super R> callback, Consumer<? super Throwable> errorCallback) {
        return submitter.apply(func, Arrays.asList(a, b), callback, errorCallback);
    }

    /** Queues {@code func(a, b, c)} with callbacks; see {@link #applyAsync(Task.Call1, Object, Consumer, Consumer)}. */
    public <A, B, C, R> AsyncResult<R> applyAsync(Task.Call3<A, B, C, R> func, A a, B b, C c,
            Consumer<? super R> callback, Consumer<? super Throwable> errorCallback) {
        return submitter.apply(func, Arrays.asList(a, b, c), callback, errorCallback);
    }

    /**
     * Queues {@code func()} with a time limit: if it runs in its worker longer than
     * {@code timeLimit}, its result fails with a {@link java.util.concurrent.TimeoutException}
     * and the task is interrupted, as {@link AsyncResult#cancel(boolean) cancel(true)} does (a
     * worker whose task goes on regardless is killed and replaced, failing nothing else). The
     * time counts from when its worker takes it up (having answered the tasks before it), so it
     * includes decoding the arguments and, the first time, loading the task's class; not the
     * time it waits in the queue. Only tasks that return a value take a limit: for one that
     * returns nothing, return {@code null} from a lambda. Python's {@code Pool} has no such
     * limit.
     *
     * @throws IllegalArgumentException if {@code timeLimit} is not positive, or the task cannot
     *                                  be sent to a worker
     */
    public <R> AsyncResult<R> applyAsync(Task.Call0<R> func, Duration timeLimit) {
        return submitter.apply(func, List.of(), null, null, Objects.requireNonNull(timeLimit, "timeLimit"));
    }

    /** Queues {@code func(a)} with a time limit; see {@link #applyAsync(Task.Call0, Duration)}. */
    public <A, R> AsyncResult<R> applyAsync(Task.Call1<A, R> func, A a, Duration timeLimit) {
        return submitter.apply(func, Collections.singletonList(a), null, null, Objects.requireNonNull(timeLimit, "timeLimit"));
    }

    /** Queues {@code func(a, b)} with a time limit; see {@link #applyAsync(Task.Call0, Duration)}. */
    public <A, B, R> AsyncResult<R> applyAsync(Task.Call2<A, B, R> func, A a, B b, Duration timeLimit) {
        return submitter.apply(func, Arrays.asList(a, b), null, null, Objects.requireNonNull(timeLimit, "timeLimit"));
    }

    /** Queues {@code func(a, b, c)} with a time limit; see {@link #applyAsync(Task.Call0, Duration)}. */
    public <A, B, C, R> AsyncResult<R> applyAsync(Task.Call3<A, B, C, R> func, A a, B b, C c, Duration timeLimit) {
        return submitter.apply(func, Arrays.asList(a, b, c), null, null, Objects.requireNonNull(timeLimit, "timeLimit"));
    }

    // ------------------------------------------------------------------ map and friends

    /**
     * Applies {@code func} to every item, in chunks spread over the workers, and returns the
     * results in order. Python's {@code map(func, iterable)}, with its default chunk size. As
     * there, the items are all read first (the default chunk size depends on their number): what
     * the iterable throws comes from this call, and nothing runs.
     *
     * @throws Exception the first exception a task threw (see {@link #apply(Task.Call1, Object)})
     */
    public <A, R> List<R> map(Task.Call1<A, R> func, Iterable<? extends A> items) throws Exception {
        return await(mapAsync(func, items));
    }

    /** As {@link #map(Task.Call1, Iterable)}, {@code chunkSize} items per job. */
    public <A, R> List<R> map(Task.Call1<A, R> func, Iterable<? extends A> items, int chunkSize) throws Exception {
        return await(mapAsync(func, items, chunkSize, null, null));
    }

    /** {@link #map(Task.Call1, Iterable)} without waiting. Python's {@code map_async}. */
    public <A, R> AsyncResult<List<R>> mapAsync(Task.Call1<A, R> func, Iterable<? extends A> items) {
        return mapAsync(func, items, 0, null, null);
    }

    /**
     * {@link #map(Task.Call1, Iterable, int)} without waiting, with callbacks that get the whole
     * list or the first exception. A chunk size of 0 means Python's default.
     */
    public <A, R> AsyncResult<List<R>> mapAsync(Task.Call1<A, R> func, Iterable<? extends A> items, int chunkSize,
            Consumer<? super List<R>> callback, Consumer<? super Throwable> errorCallback) {
        requireChunkSize(chunkSize);
        Submission task = submitter.resolve(func, 1); // first: a closed pool reads nothing of the items
        return submitter.map(task, materialize(items), true, chunkSize, callback, errorCallback);
    }

    /** Applies {@code func(a, b)} to every pair. Python's {@code starmap(func, [(a, b), ...])}. */
    public <A, B, R> List<R> starmap(Task.Call2<A, B, R> func, Iterable<? extends Args.Two<A, B>> argLists)
            throws Exception {
        return await(starmapAsync(func, argLists, 0, null, null));
    }

    /** As {@link #starmap(Task.Call2, Iterable)}, {@code chunkSize} pairs per job. */
    public <A, B, R> List<R> starmap(Task.Call2<A, B, R> func, Iterable<? extends Args.Two<A, B>> argLists,
            int chunkSize) throws Exception {
        return await(starmapAsync(func, argLists, chunkSize, null, null));
    }

    /** Applies {@code func(a, b, c)} to every triple. */
    public <A, B, C, R> List<R> starmap(Task.Call3<A, B, C, R> func, Iterable<? extends Args.Three<A, B, C>> argLists)
            throws Exception {
        return await(starmapAsync(func, argLists, 0, null, null));
    }

    /** {@link #starmap(Task.Call2, Iterable)} without waiting. Python's {@code starmap_async}. */
    public <A, B, R> AsyncResult<List<R>> starmapAsync(Task.Call2<A, B, R> func,
            Iterable<? extends Args.Two<A, B>> argLists) {
        return starmapAsync(func, argLists, 0, null, null);
    }

    /** {@link #starmap(Task.Call2, Iterable, int)} without waiting, with callbacks (0: the default chunk size). */
    public <A, B, R> AsyncResult<List<R>> starmapAsync(Task.Call2<A, B, R> func,
            Iterable<? extends Args.Two<A, B>> argLists, int chunkSize,
            Consumer<? super List<R>> callback, Consumer<? super Throwable> errorCallback) {
        requireChunkSize(chunkSize);
        Submission task = submitter.resolve(func, 2);
        List<List<Object>> calls = new ArrayList<>();
        for (Args.Two<A, B> args : argLists) {
            calls.add(Arrays.asList(args.first(), args.second()));
        }
        return submitter.map(task, calls, false, chunkSize, callback, errorCallback);
    }

    /** {@link #starmap(Task.Call3, Iterable)} without waiting, with callbacks (0: the default chunk size). */
    public <A, B, C, R> AsyncResult<List<R>> starmapAsync(Task.Call3<A, B, C, R> func,
            Iterable<? extends Args.Three<A, B, C>> argLists, int chunkSize,
            Consumer<? super List<R>> callback, Consumer<? super Throwable> errorCallback) {
        requireChunkSize(chunkSize);
        Submission task = submitter.resolve(func, 3);
        List<List<Object>> calls = new ArrayList<>();
        for (Args.Three<A, B, C> args : argLists) {
            calls.add(Arrays.asList(args.first(), args.second(), args.third()));
        }
        return submitter.map(task, calls, false, chunkSize, callback, errorCallback);
    }

    /**
     * Applies {@code func} to every item and returns an iterator over the results, in order, each
     * available as soon as it (and those before it) are done. Python's {@code imap(func, iterable)},
     * one item per job.
     *
     * <p>Results nobody takes are kept, without bound, as Python's are: the items are read as the
     * workers need them, not as {@code next()} asks, so an imap over a long (or endless) iterable
     * whose results are not read holds them all. Read them, or {@link #terminate()} the pool.
     *
     * <p>Returns at once: the items are read on a thread of the pool's as the workers need them
     * (a bounded number of jobs ahead of the workers, as Python's task handler reads them), so an
     * iterable too large to hold, or an endless one, works. What the iterable throws comes from
     * the iterator's {@code next()} at its position, after the results of the items read before
     * it. {@link #shutdown()} lets the items still to come be read and run ({@link #join()} waits
     * for that, forever for an endless iterable); {@link #terminate()} stops the reading, and the
     * iterator ends with a {@link CancellationException} where the items were no longer read.
     * Tasks submitted meanwhile queue behind the items read so far, not behind the whole iterable.
     * Unlike {@link #map}, which reads them all first, as Python's does.
     *
     * @throws IllegalArgumentException if the task cannot be sent to a worker
     * @throws IllegalStateException    if the pool is closed or terminated (before any item is read)
     */
    public <A, R> ResultIterator<R> imap(Task.Call1<A, R> func, Iterable<? extends A> items) {
        return imap(func, items, 1);
    }

    /**
     * As {@link #imap(Task.Call1, Iterable)}, {@code chunkSize} items per job. A chunk is queued
     * when it is full (or the items end), as Python's {@code islice} makes it; if the iterable
     * throws, the items read before it still run, in a shorter last chunk.
     *
     * @throws IllegalArgumentException if {@code chunkSize} is less than one
     */
    public <A, R> ResultIterator<R> imap(Task.Call1<A, R> func, Iterable<? extends A> items, int chunkSize) {
        return submitter.imap(func, items, chunkSize, true);
    }

    /**
     * As {@link #imap(Task.Call1, Iterable)}, but results come in the order they finish. Python's
     * {@code imap_unordered}.
     */
    public <A, R> ResultIterator<R> imapUnordered(Task.Call1<A, R> func, Iterable<? extends A> items) {
        return imapUnordered(func, items, 1);
    }

    /** As {@link #imapUnordered(Task.Call1, Iterable)}, {@code chunkSize} items per job. */
    public <A, R> ResultIterator<R> imapUnordered(Task.Call1<A, R> func, Iterable<? extends A> items, int chunkSize) {
        return submitter.imap(func, items, chunkSize, false);
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * Stops accepting tasks, lets the workers finish every task already queued, and waits until
     * they have exited and every result has been delivered: {@code ExecutorService.close()}'s
     * contract, so that a try-with-resources block ends with its work done.
     *
     * <pre>{@code
     * try (Pool pool = new Pool(4)) {
     *     for (int i = 0; i < 8; i++) {
     *         pool.applyAsync(Demo::work, i);
     *     }
     * }   // all eight have run, and the workers are gone
     * }</pre>
     *
     * <p>Python's {@code close()} returns at once; that is {@link #shutdown()}. Python's
     * {@code with Pool() as p:} calls {@code terminate()} on leaving the block, dropping what is
     * still queued; call {@link #terminate()} for that. Idempotent; after {@link #terminate()} it
     * only waits for the workers to be gone.
     *
     * <p>If the waiting thread is interrupted, the pool is terminated (unfinished tasks fail with
     * a {@link CancellationException}), the wait goes on until the workers are gone, and the
     * thread's interrupt status is set again, as {@code ExecutorService.close()} does.
     *
     * <p>An {@code imap} whose iterable is endless, and that nobody has terminated, keeps the
     * pool busy forever: {@code close()} (and so a try-with-resources block) then waits forever,
     * as Python's {@code close(); join()} does. {@link #terminate()}, from another thread, ends
     * the wait.
     *
     * @throws IllegalStateException if called on a thread of the pool's own, where waiting for the
     *                               pool would wait forever (see {@link #join()}), or inside the
     *                               iterable of one of its imaps
     */
    @Override
    public void close() {
        requireNotOwnThread("close()");
        shutdown();
        boolean interrupted = false;
        for (;;) {
            try {
                awaitShutdown();
                break;
            } catch (InterruptedException e) {
                if (!interrupted) {
                    interrupted = true;
                    runtime.stopNow();
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops accepting tasks; the workers finish what is queued, then exit. Returns at once:
     * {@link #join()} waits. Python's {@code close()}; {@code ExecutorService.shutdown()}.
     * Idempotent.
     */
    public void shutdown() {
        runtime.tasks().close();
    }

    /**
     * Waits until every worker has exited and every result has been delivered. Python's
     * {@code join()}.
     *
     * @throws IllegalStateException if called before {@link #shutdown()}, {@link #close()} or
     *                               {@link #terminate()} (Python's {@code ValueError: Pool is
     *                               still running}); or on a worker's place thread, where a stage
     *                               composed on an {@link AsyncResult} without an executor runs,
     *                               and where waiting for the pool would wait forever; or inside
     *                               the iterable of one of its imaps (Python's {@code RuntimeError})
     */
    public void join() throws InterruptedException {
        if (runtime.tasks().isOpen()) {
            throw new IllegalStateException("pool is still running: call shutdown() or terminate() before join()");
        }
        requireNotOwnThread("join()");
        awaitShutdown();
    }

    /**
     * Stops at once: kills the workers, and fails every task not yet finished with a
     * {@link CancellationException}. Python's {@code terminate()} (which leaves such results
     * pending forever). Waits until the workers are gone, except on one of the pool's own
     * threads (in a stage composed on a result without an executor), where that wait could not
     * end: there it returns at once.
     */
    public void terminate() throws InterruptedException {
        runtime.stopNow();
        if (runtime.results().isPlaceThread()) {
            return; // a stage composed on a result, on the place that would have to end for the wait to: no wait
        }
        awaitShutdown();
    }

    /** terminate() without the wait: kills the workers and cancels what is unfinished. */
    void stopNow() {
        runtime.stopNow();
    }

    /*
     * A place's thread completes results, and so runs the stages composed on them without an
     * executor. A feeder's thread runs an imap's iterable, and the pool waits for the feed to end:
     * Python's join() raises RuntimeError("Cannot join current thread") there.
     */
    private void requireNotOwnThread(String call) {
        if (runtime.tasks().isFeederThread()) {
            throw new IllegalStateException(call + " inside the iterable of one of the pool's imaps would wait"
                    + " forever: the pool waits for that imap to finish reading its items. Call shutdown() there"
                    + " (the rest of the items are still read and run), or terminate().");
        }
        if (runtime.results().isPlaceThread()) {
            throw new IllegalStateException(call + " on one of the pool's own threads would wait forever: a stage"
                    + " composed on an AsyncResult without an executor runs there. Compose with an executor"
                    + " (thenApplyAsync), or call terminate() or shutdown(), which do not wait for the queue.");
        }
    }

    private void awaitShutdown() throws InterruptedException {
        runtime.awaitEnd();
    }

    /** Whether the pool takes no more tasks: after shutdown, close or terminate. */
    boolean isShutdown() {
        return !runtime.tasks().isOpen();
    }

    /** Whether every worker has exited and every result has been delivered, after a shutdown. */
    boolean isTerminated() {
        return runtime.hasEnded();
    }

    /** {@link #join()}'s wait, at most {@code timeout}; whether the pool has terminated. */
    boolean awaitTermination(Duration timeout) throws InterruptedException {
        return runtime.awaitEnd(timeout);
    }

    /**
     * This pool as a {@link java.util.concurrent.ExecutorService}, for code written against the
     * JDK's interface: a {@code Callable} or {@code Runnable} runs in a worker, its
     * {@code Future} is an {@link AsyncResult}, and {@code shutdown}, {@code close},
     * {@code awaitTermination} act on the pool. Java's lambdas are not serializable, so a task
     * reaches a worker only as a serializable one, like a {@link Task}:
     *
     * <pre>{@code
     * ExecutorService executor = pool.asExecutorService();
     * Future<Integer> f = executor.submit((Callable<Integer> & Serializable) () -> Demo.square(7));
     * }</pre>
     *
     * <p>A task pyloom cannot send (a plain lambda, an object, a lambda that captures what JSON
     * cannot carry, a {@code Future} wrapped around a task as {@code ExecutorCompletionService}
     * and {@code CompletableFuture.supplyAsync(.., executor)} make) or a pool that is shut down
     * is refused with a {@link RejectedExecutionException} saying why. What differs from a
     * thread pool: {@code shutdownNow()} terminates the pool (running tasks' workers are killed;
     * every unfinished {@code Future} is cancelled), without waiting for the workers to exit,
     * and returns an empty list, as the tasks it withdrew exist only as their futures; a task
     * given to {@code execute} that throws is logged, as the
     * JDK's pools hand it to the uncaught-exception handler.
     */
    public ExecutorService asExecutorService() {
        return new PoolExecutorService(this);
    }

    /** Queues a {@code Runnable} or {@code Callable} lambda, as {@link #applyAsync(Task.Call0)} does a task. */
    <R> AsyncResult<R> submitAny(Object func) {
        return submitter.apply(func, List.of(), null, null);
    }

    /** The places and what they share. */
    PoolRuntime runtime() {
        return runtime;
    }

    /**
     * The number of worker processes: for a pool across machines, how many its nodes have now
     * (at least 1).
     */
    public int processes() {
        return runtime.processes();
    }

    @Override
    public String toString() {
        return name + "[processes=" + processes() + ", " + runtime.tasks().describeState() + "]";
    }

    // ------------------------------------------------------------------ arguments and waiting

    private static void requireChunkSize(int chunkSize) {
        if (chunkSize < 0) {
            throw new IllegalArgumentException("chunk size must be at least 1 (or 0 for the default), got " + chunkSize);
        }
    }

    /** The items, in a list of our own (Python's map turns its iterable into a list too). */
    private static <A> List<A> materialize(Iterable<? extends A> items) {
        if (items instanceof Collection<? extends A> collection) {
            return new ArrayList<>(collection);
        }
        List<A> list = new ArrayList<>();
        for (A item : items) {
            list.add(item);
        }
        return list;
    }

    /*
     * An interrupted wait withdraws its work where no worker has taken it yet (the rest runs, its
     * results dropped), as a cancelled Future's would be: the caller has stopped waiting for it.
     */
    private static <R> R await(AsyncResult<R> result) throws Exception {
        try {
            return result.get();
        } catch (InterruptedException e) {
            result.abandon();
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** How a {@link Pool} is made: Python's {@code Pool(processes, initializer, initargs, maxtasksperchild)}. */
    public static final class Builder {

        private int processes;
        private int maxTasksPerChild;
        private Duration interruptGrace = Duration.ofSeconds(5);
        private TaskRef initializer;
        private Class<?> initializerClass;
        private List<JsonNode> initArgs = List.of();
        private final List<String> jvmOptions = new ArrayList<>();
        private final ChildClasspath.Given classes = new ChildClasspath.Given();

        private Builder() {}

        /**
         * The number of workers; {@link Multiprocessing#cpuCount()} if not given.
         *
         * @throws IllegalArgumentException if less than one
         */
        public Builder processes(int processes) {
            if (processes < 1) {
                throw new IllegalArgumentException("Number of processes must be at least 1, got " + processes);
            }
            this.processes = processes;
            return this;
        }

        /** Runs once in each worker before its first task. Python's {@code initializer}. */
        public Builder initializer(Task.Run0 initializer) {
            return initializer(initializer, List.of());
        }

        /** Runs {@code initializer(a)} once in each worker. Python's {@code initializer, initargs}. */
        public <A> Builder initializer(Task.Run1<A> initializer, A a) {
            return initializer(initializer, Collections.singletonList(a));
        }

        /** Runs {@code initializer(a, b)} once in each worker. */
        public <A, B> Builder initializer(Task.Run2<A, B> initializer, A a, B b) {
            return initializer(initializer, Arrays.asList(a, b));
        }

        /** Runs {@code initializer(a, b, c)} once in each worker. */
        public <A, B, C> Builder initializer(Task.Run3<A, B, C> initializer, A a, B b, C c) {
            return initializer(initializer, Arrays.asList(a, b, c));
        }

        private Builder initializer(Task task, List<?> args) {
            TaskRef ref = TaskRef.of(task);
            Invocation invocation = Invocation.resolve(ref, task.getClass().getClassLoader());
            invocation.requireArity(args.size());
            invocation.requireCapturesDecode();
            List<JsonNode> encoded = new ArrayList<>(args.size());
            for (Object arg : args) {
                encoded.add(Json.toTree(arg));
            }
            this.initializer = ref;
            this.initializerClass = invocation.declaringClass();
            this.initArgs = List.copyOf(encoded);
            return this;
        }

        /**
         * After this many jobs (a task, or a chunk of a map) a worker exits and a fresh one takes
         * its place. Python's {@code maxtasksperchild}.
         *
         * @throws IllegalArgumentException if less than one
         */
        public Builder maxTasksPerChild(int maxTasksPerChild) {
            if (maxTasksPerChild < 1) {
                throw new IllegalArgumentException("maxTasksPerChild must be at least 1, got " + maxTasksPerChild);
            }
            this.maxTasksPerChild = maxTasksPerChild;
            return this;
        }

        /**
         * How long a task interrupted by {@link AsyncResult#cancel(boolean) cancel(true)}, or by
         * its time limit, may go on before its worker is killed (and replaced); 5 s unless set.
         *
         * @throws IllegalArgumentException if it is negative
         */
        public Builder interruptGrace(Duration grace) {
            if (grace.isNegative()) {
                throw new IllegalArgumentException("the interrupt grace must not be negative, got " + grace);
            }
            this.interruptGrace = grace;
            return this;
        }

        /** Options for the workers' JVMs, e.g. {@code -Xmx512m}. */
        public Builder jvmOptions(String... options) {
            this.jvmOptions.addAll(List.of(options));
            return this;
        }

        /**
         * The workers' class path, instead of the one the pool derives from the class loaders of
         * the code that creates it (see the README's launch shapes). It must hold pyloom, its
         * dependencies and every task's class: for a program whose classes no file holds, or
         * comes from a class loader pyloom cannot see into.
         */
        public Builder classPath(List<Path> entries) {
            classes.classPath(entries);
            return this;
        }

        /**
         * The workers' module path, with {@link #classPath(List)}: their modules are all resolved
         * ({@code --add-modules ALL-MODULE-PATH}).
         */
        public Builder modulePath(List<Path> entries) {
            classes.modulePath(entries);
            return this;
        }

        /** Starts the pool: its workers start at once, in parallel. */
        public Pool build() {
            return new Pool(this);
        }
    }
}

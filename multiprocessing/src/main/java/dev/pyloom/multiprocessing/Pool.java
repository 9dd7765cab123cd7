package dev.pyloom.multiprocessing;

import dev.pyloom.ipc.Connection;
import dev.pyloom.ipc.Json;
import dev.pyloom.ipc.Listener;
import dev.pyloom.multiprocessing.internal.Invocation;
import dev.pyloom.multiprocessing.internal.Protocol;
import dev.pyloom.multiprocessing.internal.TaskRef;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * A pool of worker processes: Python's {@code multiprocessing.Pool}. Each worker is a JVM started
 * from this one's {@code java} and class path; tasks and results travel as JSON.
 *
 * <pre>{@code
 * Pool p = new Pool(4);
 * for (int i = 0; i < 5; i++) {
 *     p.applyAsync(Demo::longTimeTask, i);     // the fifth waits for a free worker
 * }
 * p.close();
 * p.join();
 *
 * List<Integer> squares = pool.map(Demo::square, List.of(1, 2, 3));   // [1, 4, 9]
 * }</pre>
 *
 * <p>Where CPython's pool fails, this one does not:
 * <ul>
 *   <li>a worker that dies (killed, out of memory, {@code System.exit}) fails only the task it
 *       was running, with a {@link WorkerDiedException} naming it and its exit code; a
 *       replacement starts, the other tasks complete, and {@code close(); join()} returns;</li>
 *   <li>a callback or error callback that throws is reported (logged with its task), and the
 *       pool keeps delivering the other results;</li>
 *   <li>an argument that cannot be encoded, an unknown method or a wrong number of arguments
 *       fails at submission; a result that cannot be encoded fails its task alone;</li>
 *   <li>{@link #terminate()} fails every task not yet finished at once, instead of leaving
 *       their results pending forever;</li>
 *   <li>when this JVM dies, even by SIGKILL, its workers exit on their own.</li>
 * </ul>
 *
 * <p>Threads and order: tasks start in submission order; results are delivered, and callbacks
 * run, in order of completion, one at a time, on the pool's result-handler thread.
 * {@code close()} is Python's (no new tasks; workers exit once the queue is empty; it does not
 * wait). Try-with-resources calls it; Python's {@code with Pool() as p:} calls
 * {@code terminate()} instead: call that yourself if that is what you want.
 */
public final class Pool implements AutoCloseable {

    private static final AtomicInteger NUMBER = new AtomicInteger();

    private final String name = "Pool-" + NUMBER.incrementAndGet();
    private final int processes;
    private final int maxTasksPerChild;
    private final TaskRef initializer;
    private final List<JsonNode> initArgs;
    private final List<String> jvmOptions;

    private final TaskQueue tasks = new TaskQueue();
    private final ResultHandler results = new ResultHandler(name);
    private final Listener listener;
    private final String key;
    private final Map<String, CompletableFuture<Connection>> hellos = new ConcurrentHashMap<>();
    private final Set<Process> processesStarted = ConcurrentHashMap.newKeySet();
    private final AtomicLong jobIds = new AtomicLong();
    private final List<PoolWorker> places = new ArrayList<>();
    private final Map<TaskKey, Invocation> resolved = new ConcurrentHashMap<>();

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
        this.processes = options.processes > 0 ? options.processes : Multiprocessing.cpuCount();
        this.maxTasksPerChild = options.maxTasksPerChild;
        this.initializer = options.initializer;
        this.initArgs = options.initArgs;
        this.jvmOptions = List.copyOf(options.jvmOptions);
        byte[] keyBytes = new byte[32];
        new java.security.SecureRandom().nextBytes(keyBytes);
        this.key = Base64.getEncoder().encodeToString(keyBytes);
        try {
            this.listener = Listener.builder().authKey(keyBytes).open();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot open the pool's listening socket", e);
        }
        Thread.ofVirtual().name(name + "-hellos").start(this::acceptWorkers);
        for (int i = 0; i < processes; i++) {
            places.add(new PoolWorker(this));
        }
    }

    /** Options beyond the number of processes: initializer, maxTasksPerChild, JVM options. */
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
        return submit(func, List.of(), null, null);
    }

    /**
     * Queues {@code func(a)}; returns at once. Python's {@code apply_async(func, (a,))}.
     *
     * @throws IllegalArgumentException if the task or its argument cannot be sent to a worker
     * @throws IllegalStateException    if the pool is closed or terminated
     */
    public <A, R> AsyncResult<R> applyAsync(Task.Call1<A, R> func, A a) {
        return submit(func, List.of(box(a)), null, null);
    }

    /** Queues {@code func(a, b)}; returns at once. */
    public <A, B, R> AsyncResult<R> applyAsync(Task.Call2<A, B, R> func, A a, B b) {
        return submit(func, List.of(box(a), box(b)), null, null);
    }

    /** Queues {@code func(a, b, c)}; returns at once. */
    public <A, B, C, R> AsyncResult<R> applyAsync(Task.Call3<A, B, C, R> func, A a, B b, C c) {
        return submit(func, List.of(box(a), box(b), box(c)), null, null);
    }

    /** Queues {@code func()}, which returns nothing; returns at once. */
    public AsyncResult<Void> applyAsync(Task.Run0 func) {
        return submit(func, List.of(), null, null);
    }

    /** Queues {@code func(a)}, which returns nothing; returns at once. Python's {@code apply_async(func, (a,))}. */
    public <A> AsyncResult<Void> applyAsync(Task.Run1<A> func, A a) {
        return submit(func, List.of(box(a)), null, null);
    }

    /** Queues {@code func(a, b)}, which returns nothing; returns at once. */
    public <A, B> AsyncResult<Void> applyAsync(Task.Run2<A, B> func, A a, B b) {
        return submit(func, List.of(box(a), box(b)), null, null);
    }

    /** Queues {@code func(a, b, c)}, which returns nothing; returns at once. */
    public <A, B, C> AsyncResult<Void> applyAsync(Task.Run3<A, B, C> func, A a, B b, C c) {
        return submit(func, List.of(box(a), box(b), box(c)), null, null);
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
        return submit(func, List.of(box(a)), callback, errorCallback);
    }

    /** Queues {@code func()} with callbacks; see {@link #applyAsync(Task.Call1, Object, Consumer, Consumer)}. */
    public <R> AsyncResult<R> applyAsync(Task.Call0<R> func,
            Consumer<? super R> callback, Consumer<? super Throwable> errorCallback) {
        return submit(func, List.of(), callback, errorCallback);
    }

    /** Queues {@code func(a, b)} with callbacks; see {@link #applyAsync(Task.Call1, Object, Consumer, Consumer)}. */
    public <A, B, R> AsyncResult<R> applyAsync(Task.Call2<A, B, R> func, A a, B b,
            Consumer<? super R> callback, Consumer<? super Throwable> errorCallback) {
        return submit(func, List.of(box(a), box(b)), callback, errorCallback);
    }


    // ------------------------------------------------------------------ map and friends

    /**
     * Applies {@code func} to every item, in chunks spread over the workers, and returns the
     * results in order. Python's {@code map(func, iterable)}, with its default chunk size.
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
        List<List<JsonNode>> calls = new ArrayList<>();
        for (A item : items) {
            calls.add(List.of(box(item)));
        }
        return submitMap(func, calls, 1, chunkSize, callback, errorCallback);
    }

    /** Applies {@code func(a, b)} to every pair. Python's {@code starmap(func, [(a, b), ...])}. */
    public <A, B, R> List<R> starmap(Task.Call2<A, B, R> func, Iterable<? extends Args.Two<A, B>> argLists)
            throws Exception {
        return await(starmapAsync(func, argLists));
    }

    /** Applies {@code func(a, b, c)} to every triple. */
    public <A, B, C, R> List<R> starmap(Task.Call3<A, B, C, R> func, Iterable<? extends Args.Three<A, B, C>> argLists)
            throws Exception {
        List<List<JsonNode>> calls = new ArrayList<>();
        for (Args.Three<A, B, C> args : argLists) {
            calls.add(List.of(box(args.first()), box(args.second()), box(args.third())));
        }
        return await(this.<R>submitMap(func, calls, 3, 0, null, null));
    }

    /** {@link #starmap(Task.Call2, Iterable)} without waiting. Python's {@code starmap_async}. */
    public <A, B, R> AsyncResult<List<R>> starmapAsync(Task.Call2<A, B, R> func,
            Iterable<? extends Args.Two<A, B>> argLists) {
        List<List<JsonNode>> calls = new ArrayList<>();
        for (Args.Two<A, B> args : argLists) {
            calls.add(List.of(box(args.first()), box(args.second())));
        }
        return submitMap(func, calls, 2, 0, null, null);
    }

    /**
     * Applies {@code func} to every item and returns an iterator over the results, in order, each
     * available as soon as it (and those before it) are done. Python's {@code imap(func, iterable)},
     * one item per job.
     */
    public <A, R> Iterator<R> imap(Task.Call1<A, R> func, Iterable<? extends A> items) {
        return imap(func, items, 1);
    }

    /** As {@link #imap(Task.Call1, Iterable)}, {@code chunkSize} items per job. */
    public <A, R> Iterator<R> imap(Task.Call1<A, R> func, Iterable<? extends A> items, int chunkSize) {
        return submitIterator(func, items, chunkSize, true);
    }

    /**
     * As {@link #imap(Task.Call1, Iterable)}, but results come in the order they finish. Python's
     * {@code imap_unordered}.
     */
    public <A, R> Iterator<R> imapUnordered(Task.Call1<A, R> func, Iterable<? extends A> items) {
        return imapUnordered(func, items, 1);
    }

    /** As {@link #imapUnordered(Task.Call1, Iterable)}, {@code chunkSize} items per job. */
    public <A, R> Iterator<R> imapUnordered(Task.Call1<A, R> func, Iterable<? extends A> items, int chunkSize) {
        return submitIterator(func, items, chunkSize, false);
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * Stops accepting tasks; workers finish what is queued, then exit. Returns at once. Python's
     * {@code close()}. Idempotent.
     */
    @Override
    public void close() {
        tasks.close();
    }

    /**
     * Waits until every worker has exited and every result has been delivered. Python's
     * {@code join()}.
     *
     * @throws IllegalStateException if called before {@link #close()} or {@link #terminate()}
     *                               (Python's {@code ValueError: Pool is still running})
     */
    public void join() throws InterruptedException {
        if (tasks.isOpen()) {
            throw new IllegalStateException("pool is still running: call close() or terminate() before join()");
        }
        for (PoolWorker place : places) {
            place.join();
        }
        if (!results.isHandlerThread()) {
            results.stopAndJoin();
        }
        closeListener();
    }

    /**
     * Stops at once: kills the workers, and fails every task not yet finished with a
     * {@link CancellationException}. Python's {@code terminate()} (which leaves such results
     * pending forever). Waits until the workers are gone.
     */
    public void terminate() throws InterruptedException {
        for (PendingJob abandoned : tasks.terminate()) {
            abandon(abandoned);
        }
        for (Process process : processesStarted) {
            process.destroyForcibly();
        }
        for (PoolWorker place : places) {
            place.join();
        }
        for (Process process : processesStarted) {
            process.waitFor();
        }
        if (!results.isHandlerThread()) {
            results.stopAndJoin();
        }
        closeListener();
    }

    /** The number of worker processes. */
    public int processes() {
        return processes;
    }

    @Override
    public String toString() {
        return name + "[processes=" + processes + (tasks.isOpen() ? "]" : tasks.isTerminated() ? ", terminated]" : ", closed]");
    }

    // ------------------------------------------------------------------ submission, inside

    private static JsonNode box(Object argument) {
        return Json.toTree(argument);
    }

    private record TaskKey(String className, String method, String descriptor, int kind) {}

    /** Resolves the task here, so that a missing method or wrong arity fails at submission. */
    private Invocation resolve(TaskRef ref, int arity) {
        Invocation invocation = resolved.computeIfAbsent(
                new TaskKey(ref.className(), ref.method(), ref.descriptor(), ref.kind()),
                key -> Invocation.resolve(ref, Pool.class.getClassLoader()));
        Invocation withCaptures = invocation.ref().captured().size() == ref.captured().size()
                ? invocation : Invocation.resolve(ref, Pool.class.getClassLoader());
        withCaptures.requireArity(arity);
        withCaptures.requireCapturesDecode(ref);
        return withCaptures;
    }

    private <R> AsyncResult<R> submit(Task func, List<JsonNode> args, Consumer<? super R> callback,
            Consumer<? super Throwable> errorCallback) {
        TaskRef ref = TaskRef.of(func);
        Type resultType = resolve(ref, args.size()).resultType();
        long id = jobIds.incrementAndGet();
        AsyncResult<R> result = new AsyncResult<>(ref.describe() + " #" + id, () -> tasks.withdraw(id));
        PendingJob.Sink sink = new PendingJob.Sink() {
            @Override
            public void succeeded(PendingJob job, List<JsonNode> values) {
                R value;
                try {
                    value = decode(values.get(0), resultType);
                } catch (IOException e) {
                    failed(job, e);
                    return;
                }
                if (callback != null) {
                    ResultHandler.runCallback("callback", ref.describe(), () -> callback.accept(value));
                }
                result.complete(value);
            }

            @Override
            public void failed(PendingJob job, Throwable failure) {
                if (errorCallback != null) {
                    ResultHandler.runCallback("error callback", ref.describe(), () -> errorCallback.accept(failure));
                }
                result.fail(failure);
            }
        };
        tasks.submit(List.of(new PendingJob(id, ref, List.of(args), sink, 0)));
        return result;
    }

    private <R> AsyncResult<List<R>> submitMap(Task func, List<List<JsonNode>> calls, int arity, int chunkSize,
            Consumer<? super List<R>> callback, Consumer<? super Throwable> errorCallback) {
        TaskRef ref = TaskRef.of(func);
        Type resultType = resolve(ref, arity).resultType();
        int size = chunkSize > 0 ? chunkSize : defaultChunkSize(calls.size());
        List<List<List<JsonNode>>> chunks = chunk(calls, size);
        long firstId = jobIds.addAndGet(chunks.size()) - chunks.size() + 1;
        AsyncResult<List<R>> result = new AsyncResult<>(ref.describe() + " over " + calls.size() + " items",
                () -> withdrawAll(firstId, chunks.size()));
        MapCollector<R> collector = new MapCollector<>(chunks.size(), size, calls.size(), resultType, ref.describe(),
                result, callback, errorCallback);
        List<PendingJob> jobs = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            jobs.add(new PendingJob(firstId + i, ref, chunks.get(i), collector, i));
        }
        tasks.submit(jobs);
        if (jobs.isEmpty()) {
            results.post(collector::finishEmpty);
        }
        return result;
    }

    private <A, R> Iterator<R> submitIterator(Task.Call1<A, R> func, Iterable<? extends A> items, int chunkSize,
            boolean ordered) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size must be at least 1, got " + chunkSize);
        }
        List<List<JsonNode>> calls = new ArrayList<>();
        for (A item : items) {
            calls.add(List.of(box(item)));
        }
        TaskRef ref = TaskRef.of(func);
        Type resultType = resolve(ref, 1).resultType();
        List<List<List<JsonNode>>> chunks = chunk(calls, chunkSize);
        long firstId = jobIds.addAndGet(chunks.size()) - chunks.size() + 1;
        ResultIterator<R> iterator = new ResultIterator<>(chunks.size(), ordered, resultType);
        List<PendingJob> jobs = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            jobs.add(new PendingJob(firstId + i, ref, chunks.get(i), iterator, i));
        }
        tasks.submit(jobs);
        return iterator;
    }

    private boolean withdrawAll(long firstId, int count) {
        boolean any = false;
        for (int i = 0; i < count; i++) {
            any |= tasks.withdraw(firstId + i);
        }
        return any;
    }

    /** Python's default: enough chunks for about four per worker. */
    private int defaultChunkSize(int items) {
        if (items == 0) {
            return 1;
        }
        int chunkSize = items / (processes * 4);
        return items % (processes * 4) == 0 ? Math.max(chunkSize, 1) : chunkSize + 1;
    }

    private static List<List<List<JsonNode>>> chunk(List<List<JsonNode>> calls, int size) {
        List<List<List<JsonNode>>> chunks = new ArrayList<>();
        for (int from = 0; from < calls.size(); from += size) {
            chunks.add(calls.subList(from, Math.min(calls.size(), from + size)));
        }
        return chunks;
    }

    @SuppressWarnings("unchecked")
    static <R> R decode(JsonNode value, Type type) throws IOException {
        if (type == void.class || type == Void.class) {
            return null;
        }
        return (R) Json.fromTree(value, type);
    }

    private static <R> R await(AsyncResult<R> result) throws Exception {
        try {
            return result.get();
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

    // ------------------------------------------------------------------ for PoolWorker

    String name() {
        return name;
    }

    TaskQueue tasks() {
        return tasks;
    }

    int maxTasksPerChild() {
        return maxTasksPerChild;
    }

    TaskRef initializer() {
        return initializer;
    }

    List<JsonNode> initArgs() {
        return initArgs;
    }

    List<String> jvmOptions() {
        return jvmOptions;
    }

    String address() {
        return ((java.net.UnixDomainSocketAddress) listener.address()).getPath().toString();
    }

    String key() {
        return key;
    }

    void track(Process process) {
        processesStarted.add(process);
        process.onExit().thenRun(() -> processesStarted.remove(process));
    }

    CompletableFuture<Connection> expectHello(String token) {
        CompletableFuture<Connection> hello = new CompletableFuture<>();
        hellos.put(token, hello);
        return hello;
    }

    void forgetHello(String token) {
        CompletableFuture<Connection> hello = hellos.remove(token);
        if (hello != null && !hello.complete(null)) {
            Connection late = hello.getNow(null);
            if (late != null) {
                try {
                    late.close();
                } catch (IOException ignored) {
                    // a worker we gave up on
                }
            }
        }
    }

    /* Workers connect back here; their first message says which place they are for. */
    private void acceptWorkers() {
        for (;;) {
            Connection connection;
            try {
                connection = listener.accept();
            } catch (IOException closed) {
                return;
            }
            Thread.ofVirtual().name(name + "-hello").start(() -> {
                try {
                    Protocol.Hello hello = connection.recv(Protocol.Hello.class);
                    CompletableFuture<Connection> waiting = hellos.remove(hello.token());
                    if (waiting == null || !waiting.complete(connection)) {
                        connection.close();
                    }
                } catch (IOException e) {
                    try {
                        connection.close();
                    } catch (IOException ignored) {
                        // a connection that never became a worker
                    }
                }
            });
        }
    }

    /** A job's outcome from a worker, delivered on the result-handler thread. */
    void deliver(PendingJob job, Protocol.Done outcome, String where) {
        results.post(() -> {
            if (outcome.failure() != null) {
                job.sink().failed(job, RemoteFailures.toException(outcome.failure(), where));
            } else {
                job.sink().succeeded(job, outcome.results());
            }
        });
    }

    void fail(PendingJob job, Throwable failure) {
        results.post(() -> job.sink().failed(job, failure));
    }

    /** A job that will never run because the pool was terminated. */
    void abandon(PendingJob job) {
        fail(job, new CancellationException("the pool was terminated before this task finished"));
    }

    private void closeListener() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing down
        }
    }

    /** How a {@link Pool} is made: Python's {@code Pool(processes, initializer, initargs, maxtasksperchild)}. */
    public static final class Builder {

        private int processes;
        private int maxTasksPerChild;
        private TaskRef initializer;
        private List<JsonNode> initArgs = List.of();
        private final List<String> jvmOptions = new ArrayList<>();

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

        /** Runs {@code initializer(arg)} once in each worker. Python's {@code initializer, initargs}. */
        public <A> Builder initializer(Task.Run1<A> initializer, A arg) {
            return initializer(initializer, List.of(box(arg)));
        }

        /** Runs {@code initializer(a, b)} once in each worker. */
        public <A, B> Builder initializer(Task.Run2<A, B> initializer, A a, B b) {
            return initializer(initializer, List.of(box(a), box(b)));
        }

        private Builder initializer(Task task, List<JsonNode> args) {
            TaskRef ref = TaskRef.of(task);
            Invocation invocation = Invocation.resolve(ref, Pool.class.getClassLoader());
            invocation.requireArity(args.size());
            invocation.requireCapturesDecode(ref);
            this.initializer = ref;
            this.initArgs = args;
            return this;
        }

        /**
         * After this many tasks a worker exits and a fresh one takes its place. Python's
         * {@code maxtasksperchild}.
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

        /** Options for the workers' JVMs, e.g. {@code -Xmx512m}. */
        public Builder jvmOptions(String... options) {
            this.jvmOptions.addAll(List.of(options));
            return this;
        }

        /** Starts the pool: its workers start at once, in parallel. */
        public Pool build() {
            return new Pool(this);
        }
    }
}

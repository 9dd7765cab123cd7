package dev.pyloom.multiprocessing;

import dev.pyloom.multiprocessing.internal.ChildClasspath;
import dev.pyloom.multiprocessing.internal.Invocation;
import dev.pyloom.multiprocessing.internal.TaskRef;
import dev.pyloom.multiprocessing.internal.Wire;
import dev.pyloom.multiprocessing.spi.PoolAccess;
import dev.pyloom.multiprocessing.spi.Relay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Turns a {@link Pool}'s {@code apply}, {@code map}, {@code starmap} and {@code imap} calls into
 * jobs on its {@link PoolRuntime#tasks() queue}: resolves the task (once, for a task that
 * captures nothing), numbers the jobs, cuts a map into chunks, and makes the result the caller
 * gets ({@link AsyncResult}, {@link MapCollector}, {@link ResultIterator}) the jobs' sink: the
 * submitting half of Python's {@code apply_async}, {@code _map_async} and {@code imap}.
 *
 * <p>Thread-safe: any thread may submit.
 */
final class Submitter {

    private final String pool;
    private final ChildClasspath classes; // null for a pool whose workers are elsewhere
    private final TaskQueue tasks;
    private final ResultHandler results;
    private final PoolRuntime runtime;

    private final AtomicLong jobIds = new AtomicLong();
    private final Invocation.Cache invocations = new Invocation.Cache(Pool.class.getClassLoader());
    private final Map<SubmissionKey, Submission> submissions = new ConcurrentHashMap<>();

    /** Submits to {@code runtime}'s queue, with results completed by its result handler. */
    Submitter(PoolRuntime runtime) {
        this.pool = runtime.name();
        this.classes = runtime.classes();
        this.tasks = runtime.tasks();
        this.results = runtime.results();
        this.runtime = runtime;
    }

    private record SubmissionKey(TaskRef ref, int arity) {}

    /**
     * Resolves the task here, so that a missing method, a wrong number of arguments, a capture
     * that cannot travel or a result that cannot come back fails at submission; a task that
     * captures nothing is resolved once.
     */
    Submission resolve(Object func, int arity) {
        tasks.requireOpen(); // before anything is encoded: a refused task uses up no connection
        TaskRef ref = TaskRef.of(func);
        boolean constant = ref.captured().isEmpty();
        SubmissionKey key = new SubmissionKey(ref, arity);
        Submission known = constant ? submissions.get(key) : null;
        if (known != null) {
            return known;
        }
        Invocation invocation = invocations.resolve(ref, func.getClass().getClassLoader());
        if (classes != null) {
            classes.requireCovers(invocation.declaringClass(), "task " + ref.describe());
        }
        invocation.requireInvocable();
        invocation.requireArity(arity);
        invocation.requireResultDecodes();
        if (!constant) {
            invocation.requireCapturesDecode();
        }
        Submission submission = new Submission(pool, ref.describe(), Wire.encodeTask(ref), Wire.resultsReader(invocation.resultType()));
        if (constant) {
            submissions.putIfAbsent(key, submission);
        }
        return submission;
    }

    /** Queues one call of {@code func}: an apply. */
    <R> AsyncResult<R> apply(Object func, List<?> args, Consumer<? super R> callback,
            Consumer<? super Throwable> errorCallback) {
        return apply(func, args, callback, errorCallback, null);
    }

    /** Queues one call of {@code func} that fails if it runs longer than {@code timeLimit} (null: no limit). */
    <R> AsyncResult<R> apply(Object func, List<?> args, Consumer<? super R> callback,
            Consumer<? super Throwable> errorCallback, Duration timeLimit) {
        if (timeLimit != null && (timeLimit.isNegative() || timeLimit.isZero())) {
            throw new IllegalArgumentException("a time limit must be positive, got " + timeLimit);
        }
        Submission task = resolve(func, args.size());
        long id = jobIds.incrementAndGet();
        AsyncResult<R> result = new AsyncResult<>(task.describe() + " #" + id, new JobRange(runtime, id, 1), results);
        tasks.submit(List.of(PendingJob.call(id, task, args, new OneResult<>(result, callback, errorCallback, timeLimit))));
        return result;
    }

    /** Where the outcome of an apply goes: its AsyncResult, after its callback. */
    private record OneResult<R>(AsyncResult<R> result, Consumer<? super R> callback,
            Consumer<? super Throwable> errorCallback, Duration timeLimit) implements PendingJob.Sink {

        @Override
        public boolean timedOut(PendingJob job) {
            return result.timeOut(timeLimit);
        }

        @Override
        @SuppressWarnings("unchecked")
        public void succeeded(PendingJob job, List<?> values) {
            result.complete((R) values.get(0), callback, job);
        }

        @Override
        public void failed(PendingJob job, Throwable failure) {
            result.fail(failure, errorCallback, job);
        }

        @Override
        public boolean cancelled() {
            return result.isCancelled();
        }
    }

    /** The jobs with ids {@code firstId} to {@code firstId + count - 1}: what cancelling their result does to them. */
    private record JobRange(PoolRuntime runtime, long firstId, int count) implements AsyncResult.Jobs {

        @Override
        public boolean withdraw() {
            return runtime.tasks().withdraw(firstId, count);
        }

        @Override
        public void withdrawQueued() {
            runtime.tasks().withdrawQueued(firstId, count);
        }

        @Override
        public void interrupt() {
            runtime.interrupt(firstId, count);
        }
    }

    /**
     * Queues {@code calls} in chunks: each an argument list, or, when {@code single}, the only
     * argument of a one-argument task.
     */
    <R> AsyncResult<List<R>> map(Submission task, List<?> calls, boolean single, int chunkSize,
            Consumer<? super List<R>> callback, Consumer<? super Throwable> errorCallback) {
        int size = chunkSize > 0 ? chunkSize : defaultChunkSize(calls.size());
        int chunks = (calls.size() + size - 1) / size;
        long firstId = jobIds.addAndGet(chunks) - chunks + 1;
        AsyncResult<List<R>> result = new AsyncResult<>(task.describe() + " over " + calls.size() + " items",
                new JobRange(runtime, firstId, chunks), results);
        MapCollector<R> collector = new MapCollector<>(chunks, size, calls.size(), result, callback, errorCallback);
        tasks.submit(chunkJobs(task, calls, single, size, firstId, collector));
        if (chunks == 0) {
            collector.finishEmpty();
        }
        return result;
    }

    /** Queues a job that arrived as frames from another machine: see {@link PoolAccess#relay}. */
    Relay relay(String label, byte[] task, byte[] calls, int size, Duration timeLimit, Relay.Outcome outcome) {
        tasks.requireOpen();
        return runtime.relay(jobIds.incrementAndGet(), label, task, calls, size, timeLimit, outcome);
    }

    /** Starts a feeder that reads {@code items} as the workers need them, and returns where their results come. */
    <A, R> ResultIterator<R> imap(Task.Call1<A, R> func, Iterable<? extends A> items, int chunkSize,
            boolean ordered) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size must be at least 1, got " + chunkSize);
        }
        Objects.requireNonNull(items, "items");
        Submission task = resolve(func, 1);
        ResultIterator<R> iterator = new ResultIterator<>(ordered, results);
        Feeder feeder = new Feeder(tasks, task, items, chunkSize, jobIds::incrementAndGet, iterator,
                Feeder.highWater(runtime.processes()));
        tasks.openFeed(feeder);
        feeder.start(pool + "-imap-" + task.describe());
        return iterator;
    }

    private static List<PendingJob> chunkJobs(Submission task, List<?> calls, boolean single, int size, long firstId,
            PendingJob.Sink sink) {
        List<PendingJob> jobs = new ArrayList<>((calls.size() + size - 1) / size);
        for (int from = 0, chunk = 0; from < calls.size(); from += size, chunk++) {
            jobs.add(PendingJob.chunk(firstId + chunk, task, calls.subList(from, Math.min(calls.size(), from + size)),
                    single, sink, chunk));
        }
        return jobs;
    }

    /** Python's default: enough chunks for about four per worker. */
    private int defaultChunkSize(int items) {
        int processes = runtime.processes(); // a remote pool's changes as its nodes come and go
        if (items == 0) {
            return 1;
        }
        int chunkSize = items / (processes * 4);
        return items % (processes * 4) == 0 ? Math.max(chunkSize, 1) : chunkSize + 1;
    }
}

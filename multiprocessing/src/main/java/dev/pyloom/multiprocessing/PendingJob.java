package dev.pyloom.multiprocessing;

import dev.pyloom.multiprocessing.internal.Wire;
import java.time.Duration;
import java.util.List;
import jdk.jfr.FlightRecorder;

/**
 * A job waiting for (or held by) a worker: one call, or a chunk of a map's calls, and the sink
 * its outcome goes to. Its calls are encoded at submission for a single call (so that an
 * argument that cannot travel fails there), and by the worker's place just before sending for
 * a chunk (so that a long map's encoding is spread over the places, in parallel with the
 * workers' running of earlier chunks).
 */
final class PendingJob {

    /** Where a job's outcome goes. Called on a place's thread (or by terminate()): implementations are thread-safe. */
    interface Sink {
        /** The job's calls all returned; their results, decoded, in order. */
        void succeeded(PendingJob job, List<?> results);

        /** The job failed: a task's exception, its worker's death, or the pool's termination. */
        void failed(PendingJob job, Throwable failure);

        /** Whether nobody wants the outcome any more (its result was cancelled): the job need not run. */
        default boolean cancelled() {
            return false;
        }

        /** How long the job may run in its worker, or null: no limit. */
        default Duration timeLimit() {
            return null;
        }

        /** The job ran longer than {@link #timeLimit()}: its result fails now; true if it was not done yet. */
        default boolean timedOut(PendingJob job) {
            return false;
        }
    }

    private final long id;
    private final Submission submission;
    private final List<?> calls;     // argument lists, or single arguments when `single`; null if relayed
    private final int size;          // how many calls
    private final boolean single;
    private final Sink sink;
    private final int chunkIndex;
    private final Feeder feeder;     // the imap feeder that read its items; null for the others
    private byte[] encoded;          // the calls as JSON; set once, by the one thread that holds the job
    private final long submittedNanos = System.nanoTime();
    private long startedNanos;       // when its worker started it; written and read on the place's thread
    private String worker;           // the worker that started it, or null

    private PendingJob(long id, Submission submission, List<?> calls, int size, boolean single, byte[] encoded,
            Sink sink, int chunkIndex, Feeder feeder) {
        this.id = id;
        this.submission = submission;
        this.calls = calls;
        this.size = size;
        this.single = single;
        this.encoded = encoded;
        this.sink = sink;
        this.chunkIndex = chunkIndex;
        this.feeder = feeder;
    }

    /** One call, its arguments encoded now. @throws IllegalArgumentException if one cannot be */
    static PendingJob call(long id, Submission submission, List<?> arguments, Sink sink) {
        List<List<?>> calls = List.of(arguments);
        return new PendingJob(id, submission, calls, 1, false, Wire.encodeCalls(calls, false), sink, 0, null);
    }

    /** A chunk of a map: {@code calls} are argument lists, or single arguments when {@code single}. */
    static PendingJob chunk(long id, Submission submission, List<?> calls, boolean single, Sink sink, int chunkIndex) {
        return new PendingJob(id, submission, calls, calls.size(), single, null, sink, chunkIndex, null);
    }

    /** A chunk of an imap, single arguments read by {@code feeder}. */
    static PendingJob fed(long id, Submission submission, List<?> items, Sink sink, int chunkIndex, Feeder feeder) {
        return new PendingJob(id, submission, items, items.size(), true, null, sink, chunkIndex, feeder);
    }

    /** {@code size} calls that arrived from another machine already encoded, as {@link #calls()} made them there. */
    static PendingJob relayed(long id, Submission submission, byte[] calls, int size, Sink sink) {
        return new PendingJob(id, submission, null, size, false, calls, sink, 0, null);
    }

    long id() {
        return id;
    }

    /** Its worker started it: for its {@link PoolTaskEvent}. The place's thread. */
    void started(String worker) {
        this.startedNanos = System.nanoTime();
        this.worker = worker;
    }

    /** Hands the job's results to its sink. */
    void succeeded(List<?> results) {
        record(null);
        sink.succeeded(this, results);
    }

    /** Hands the job's failure to its sink. */
    void failed(Throwable failure) {
        record(failure);
        sink.failed(this, failure);
    }

    private void record(Throwable failure) {
        if (!FlightRecorder.isInitialized()) {
            return; // loading a JFR event class sets the recorder up, at a cost (see PoolWorker)
        }
        PoolTaskEvent event = new PoolTaskEvent();
        if (!event.isEnabled()) {
            return;
        }
        long now = System.nanoTime();
        event.pool = submission.pool();
        event.task = toString();
        event.calls = size();
        event.worker = worker;
        event.queued = (worker == null ? now : startedNanos) - submittedNanos;
        event.ran = worker == null ? 0 : now - startedNanos;
        String outcome = failure == null ? "success" : failure.getClass().getName()
                + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
        event.outcome = sink.cancelled() ? "cancelled (its worker's answer: " + outcome + ")" : outcome;
        event.commit();
    }

    Submission submission() {
        return submission;
    }

    Sink sink() {
        return sink;
    }

    int chunkIndex() {
        return chunkIndex;
    }

    /** The feeder whose room in the queue this job takes up while queued; null if none. */
    Feeder feeder() {
        return feeder;
    }

    /** How many calls. */
    int size() {
        return size;
    }

    /**
     * The frame that gives this job to a worker.
     *
     * @throws IllegalArgumentException if an argument cannot be encoded
     */
    byte[] frame() {
        return Wire.job(id, submission.task(), calls());
    }

    /**
     * The calls as JSON, encoded once.
     *
     * @throws IllegalArgumentException if an argument cannot be encoded
     */
    byte[] calls() {
        if (encoded == null) {
            encoded = Wire.encodeCalls(calls, single);
        }
        return encoded;
    }

    @Override
    public String toString() {
        // a relayed job's label carries its number in the pool that sent it, the one its owner knows
        return calls == null ? submission.describe() : submission.describe() + " #" + id;
    }
}

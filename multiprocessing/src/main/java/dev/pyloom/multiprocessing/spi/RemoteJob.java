package dev.pyloom.multiprocessing.spi;

import java.time.Duration;

/**
 * A job of a remote pool: one call, or a chunk of a map's calls, as frames ready to travel,
 * and where its outcome goes. Exactly one of {@link #answered}, {@link #failed} and
 * {@link #abandon} is called for a job that was taken.
 */
public interface RemoteJob {

    /** The job's number in its pool, as {@link RemotePlaces#interrupt} names it. */
    long id();

    /** The task as JSON, as a worker reads it. */
    byte[] task();

    /**
     * The calls as JSON, as a worker reads them.
     *
     * @throws IllegalArgumentException if an argument cannot be encoded; the job is failed already
     */
    byte[] calls();

    /** How many calls. */
    int size();

    /** How long the job may run, or null: no limit. */
    Duration timeLimit();

    /** Whether nobody wants the outcome any more (its result was cancelled): the job need not be sent. */
    boolean cancelled();

    /** The job was handed to {@code where}, which runs it: for the pool's JFR events. */
    void started(String where);

    /**
     * The answer a worker at {@code where} wrote (its results, or the exception a call threw),
     * decoded here into the job's result.
     */
    void answered(byte[] outcome, String where);

    /** The job failed where it was sent (its node was lost, say). */
    void failed(Throwable failure);

    /** The job will not run: the pool was terminated. */
    void abandon();
}

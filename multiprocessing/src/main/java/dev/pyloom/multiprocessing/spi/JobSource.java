package dev.pyloom.multiprocessing.spi;

import java.util.List;

/** A remote pool's queue, as its {@link RemotePlaces} see it. Thread-safe. */
public interface JobSource {

    /**
     * Marks the calling thread as one that completes the pool's results: a caller there that
     * waits for the pool ({@code join()}, {@code close()}) is refused instead of waiting forever.
     */
    void deliversHere();

    /** The next job, waiting for one; null when there will be none (the pool is closed and drained, or terminated). */
    RemoteJob take() throws InterruptedException;

    /**
     * Runs {@code action} once the queue takes no more work and has none left (at once if so
     * already): places that wait for room before they {@link #take()} learn there is nothing
     * more to wait for.
     */
    void whenDrained(Runnable action);

    /** Whether the pool was terminated: a job taken now is {@link RemoteJob#abandon() abandoned}. */
    boolean isTerminated();

    /** Jobs taken but never sent go back to the front of the queue, in order (or are abandoned, if the pool was terminated). */
    void putBack(List<RemoteJob> unsent);

    /** Every job taken has its outcome and no more will be taken: the pool's join() may return. Call once. */
    void finished();
}

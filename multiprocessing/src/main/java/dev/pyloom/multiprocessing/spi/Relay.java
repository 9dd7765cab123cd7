package dev.pyloom.multiprocessing.spi;

/**
 * A job that arrived as frames, running on a local pool's workers: see
 * {@link PoolAccess#relay}.
 */
public interface Relay {

    /** Interrupts the job if it runs; if it has not started, it never does. As {@code cancel(true)}. */
    void interrupt();

    /** Where a relayed job's outcome goes. */
    @FunctionalInterface
    interface Outcome {
        /**
         * The job's answer frame, and the worker that wrote it ({@code PoolWorker-2 (pid 4242)}),
         * or null if no worker did (the frame then carries a failure of the pool's own).
         */
        void accept(byte[] frame, String worker);
    }
}

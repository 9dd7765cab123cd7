package dev.pyloom.multiprocessing.spi;

/**
 * A job that arrived as frames, running on a local pool's workers: see
 * {@link PoolAccess#relay}.
 */
public interface Relay {

    /** Interrupts the job if it runs; if it has not started, it never does. As {@code cancel(true)}. */
    void interrupt();
}

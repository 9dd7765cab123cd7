package dev.pyloom.asyncio.locks;

import dev.pyloom.asyncio.CancelledException;

/**
 * Python's asynchronous lock protocol: {@code await x.acquire()}, {@code x.release()} and
 * {@code async with x:}, spoken by {@link Lock}, {@link Semaphore}, {@link BoundedSemaphore} and
 * {@link Condition}.
 *
 * <pre>{@code
 * try (var held = lock.hold()) {   // async with lock:
 *     balance += n;
 * }
 * }</pre>
 */
public sealed interface Acquirable permits Lock, Semaphore, Condition {

    /**
     * Acquires, suspending the coroutine until it can. An await point.
     *
     * @throws CancelledException    if the task is cancelled while it waits (nothing is acquired)
     * @throws IllegalStateException if not called from a coroutine of the primitive's loop
     */
    void acquire();

    /**
     * Releases what an acquire took. Never blocks.
     *
     * @throws IllegalStateException if there is nothing to release, or if called from another thread
     */
    void release();

    /** Whether an {@link #acquire()} now would have to wait. */
    boolean locked();

    /**
     * Acquires and returns a handle whose {@code close()} releases, once: {@code async with}.
     * An await point.
     */
    default Held hold() {
        acquire();
        return new Held(this);
    }

    /** An acquisition made by {@link #hold()}; closing it releases it, the first time only. */
    final class Held implements AutoCloseable {

        private final Acquirable acquired;
        private boolean released; // only touched by the coroutine that holds it

        private Held(Acquirable acquired) {
            this.acquired = acquired;
        }

        /** Releases the acquisition, the first time it is called. */
        @Override
        public void close() {
            if (!released) {
                released = true;
                acquired.release();
            }
        }
    }
}

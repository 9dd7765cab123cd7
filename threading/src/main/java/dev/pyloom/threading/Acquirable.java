package dev.pyloom.threading;

import java.time.Duration;

/**
 * Python's lock protocol: something a thread acquires, possibly waiting, and later releases.
 *
 * <p>{@link Lock}, {@link RLock}, {@link Condition}, {@link Semaphore} and
 * {@link BoundedSemaphore} all speak it, so code written against {@code Acquirable} works with
 * any of them, as Python code written against {@code acquire()}/{@code release()} does.
 *
 * <table class="striped">
 *   <caption>Python → pyloom</caption>
 *   <tr><th>Python</th><th>pyloom</th></tr>
 *   <tr><td>{@code x.acquire()}</td><td>{@link #acquire()}</td></tr>
 *   <tr><td>{@code x.acquire(blocking=False)}</td><td>{@link #tryAcquire()}</td></tr>
 *   <tr><td>{@code x.acquire(timeout=t)}</td><td>{@link #tryAcquire(Duration)}</td></tr>
 *   <tr><td>{@code x.release()}</td><td>{@link #release()}</td></tr>
 *   <tr><td>{@code with x: ...}</td><td>{@code try (var held = x.hold()) { ... }}</td></tr>
 * </table>
 *
 * <p>Every method that may block throws {@link InterruptedException} when the waiting thread is
 * interrupted: Java's cooperative cancellation, which Python's threads do not have. An
 * interrupted acquire has acquired nothing.
 */
public interface Acquirable {

    /**
     * Acquires, blocking until it is possible.
     *
     * @throws InterruptedException if the thread is interrupted while it waits
     */
    void acquire() throws InterruptedException;

    /**
     * Acquires only if that is possible at once; never blocks.
     *
     * @return whether it was acquired
     */
    boolean tryAcquire();

    /**
     * Acquires, waiting at most {@code timeout}. With a zero timeout it does not wait (but, like
     * every blocking method, throws if the thread is already interrupted).
     *
     * @return whether it was acquired before the timeout elapsed
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws InterruptedException     if the thread is interrupted while it waits
     */
    boolean tryAcquire(Duration timeout) throws InterruptedException;

    /**
     * Releases what an acquire took. Never blocks.
     *
     * @throws IllegalStateException if there is nothing to release (the exact rule is the
     *                               implementation's: any thread may release a {@link Lock},
     *                               only the owner an {@link RLock})
     */
    void release();

    /**
     * Acquires, blocking until it is possible, and returns a handle whose {@code close()}
     * releases: the {@code with} statement of Python, as try-with-resources.
     *
     * <pre>{@code
     * try (var held = lock.hold()) {
     *     balance += n;
     * }
     * }</pre>
     *
     * @throws InterruptedException if the thread is interrupted while it waits
     */
    default Held hold() throws InterruptedException {
        acquire();
        return new Held(this);
    }

    /**
     * An acquisition made by {@link #hold()}. Closing it releases, once: a second
     * {@code close()} does nothing, so it cannot release somebody else's acquisition. Meant for
     * the thread that made it, in a try-with-resources statement.
     */
    final class Held implements AutoCloseable {

        private final Acquirable acquired;
        private boolean released; // only touched by the thread that holds it

        private Held(Acquirable acquired) {
            this.acquired = acquired;
        }

        /** Releases the acquisition, the first time it is called. Throws no checked exception. */
        @Override
        public void close() {
            if (!released) {
                released = true;
                acquired.release();
            }
        }
    }
}

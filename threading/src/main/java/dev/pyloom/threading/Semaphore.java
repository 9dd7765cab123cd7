package dev.pyloom.threading;

import dev.pyloom.common.Durations;
import java.time.Duration;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;

/**
 * A counting semaphore: Python's {@code threading.Semaphore}.
 *
 * <p>It holds a count of permits. {@link #acquire()} waits until the count is positive and takes
 * one; {@link #release()} puts one back (or {@code n}), waking waiters. Any thread may release,
 * and releasing more than was ever acquired simply raises the count; {@link BoundedSemaphore}
 * refuses that.
 *
 * <pre>{@code
 * Semaphore slots = new Semaphore(3);      // at most three downloads at a time
 * try (var slot = slots.hold()) {
 *     download(url);
 * }
 * }</pre>
 *
 * <p>Non-fair, as in Python: a thread that arrives while a permit is free may take it ahead of
 * threads already waiting.
 */
public sealed class Semaphore implements Acquirable permits BoundedSemaphore {

    private final Sync sync;

    /** Creates a semaphore with one permit. */
    public Semaphore() {
        this(1);
    }

    /**
     * Creates a semaphore with {@code value} permits.
     *
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public Semaphore(int value) {
        this(value, Integer.MAX_VALUE);
    }

    /** For {@link BoundedSemaphore}: a semaphore whose count may never exceed {@code bound}. */
    Semaphore(int value, int bound) {
        if (value < 0) {
            throw new IllegalArgumentException("semaphore initial value must be >= 0, got " + value);
        }
        this.sync = new Sync(value, bound);
    }

    /**
     * Takes a permit, waiting until one is available.
     *
     * @throws InterruptedException if the thread is interrupted while it waits
     */
    @Override
    public void acquire() throws InterruptedException {
        sync.acquireSharedInterruptibly(1);
    }

    /** Takes a permit if one is available at once; never blocks. */
    @Override
    public boolean tryAcquire() {
        return sync.tryTake() >= 0;
    }

    /**
     * Takes a permit, waiting at most {@code timeout} for one.
     *
     * @return whether a permit was taken
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws InterruptedException     if the thread is interrupted while it waits
     */
    @Override
    public boolean tryAcquire(Duration timeout) throws InterruptedException {
        return sync.tryAcquireSharedNanos(1, Durations.timeoutNanos(timeout, "timeout"));
    }

    /** Puts one permit back, waking one waiting thread if any. Never blocks. */
    @Override
    public void release() {
        release(1);
    }

    /**
     * Puts {@code n} permits back, waking up to {@code n} waiting threads. Python's
     * {@code release(n)}. Never blocks.
     *
     * @throws IllegalArgumentException if {@code n} is less than one, or (for a
     *                                  {@link BoundedSemaphore}) if the count would exceed its
     *                                  initial value; the count is then unchanged
     */
    public void release(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be one or more, got " + n);
        }
        sync.releaseShared(n);
    }

    /** The number of permits available now; Python keeps it in the private {@code _value}. */
    public int availablePermits() {
        return sync.permits();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[permits=" + availablePermits() + "]";
    }

    /*
     * State is the number of available permits, 0 <= state <= bound.
     *
     *   v -> v - 1   acquire, when v > 0 (CAS loop: racing acquirers retry)
     *   v -> v + n   release, when v + n <= bound; otherwise the release throws and nothing changes
     *
     * Both transitions are CAS loops on the one word, which is what makes BoundedSemaphore's
     * check-and-add atomic: two racing releases cannot both squeeze under the bound.
     */
    @SuppressWarnings("serial") // AQS is Serializable; this semaphore is not, so neither is its state.
    private static final class Sync extends AbstractQueuedSynchronizer {

        private final int bound;

        Sync(int permits, int bound) {
            this.bound = bound;
            setState(permits);
        }

        int permits() {
            return getState();
        }

        /** Returns the permits left after taking one, negative if there was none to take. */
        int tryTake() {
            for (;;) {
                int available = getState();
                int left = available - 1;
                if (left < 0 || compareAndSetState(available, left)) {
                    return left;
                }
            }
        }

        @Override
        protected int tryAcquireShared(int ignored) {
            return tryTake();
        }

        @Override
        protected boolean tryReleaseShared(int n) {
            for (;;) {
                int current = getState();
                int next = current + n;
                if (next < current) {
                    throw new IllegalStateException("semaphore count overflow");
                }
                if (next > bound) {
                    throw new IllegalArgumentException("Semaphore released too many times");
                }
                if (compareAndSetState(current, next)) {
                    return true;
                }
            }
        }
    }
}

package dev.pyloom.asyncio.locks;

/**
 * A {@link Semaphore} that may not be released beyond its initial value: Python's
 * {@code asyncio.BoundedSemaphore}, which catches a release without an acquire.
 */
public final class BoundedSemaphore extends Semaphore {

    private final int bound;

    /**
     * A bounded semaphore with {@code value} permits, at most.
     *
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public BoundedSemaphore(int value) {
        super(value);
        this.bound = value;
    }

    /** A bounded semaphore with one permit. */
    public BoundedSemaphore() {
        this(1);
    }

    /**
     * Gives a permit back.
     *
     * @throws IllegalArgumentException if every permit is already free (Python's {@code ValueError})
     */
    @Override
    public void release() {
        if (availablePermits() >= bound) {
            throw new IllegalArgumentException("BoundedSemaphore released too many times");
        }
        super.release();
    }
}

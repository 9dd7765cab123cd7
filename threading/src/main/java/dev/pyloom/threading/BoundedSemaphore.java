package dev.pyloom.threading;

/**
 * A semaphore whose count may never exceed its initial value: Python's
 * {@code threading.BoundedSemaphore}.
 *
 * <p>Semaphores usually guard a resource of limited capacity; a release beyond the initial
 * value is then a bug (a release without its acquire), and this class reports it at once with
 * {@link IllegalArgumentException}, Python's {@code ValueError: Semaphore released too many times},
 * instead of silently growing the capacity.
 */
public final class BoundedSemaphore extends Semaphore {

    private final int bound;

    /** Creates a bounded semaphore with one permit, which is also its bound. */
    public BoundedSemaphore() {
        this(1);
    }

    /**
     * Creates a bounded semaphore with {@code value} permits, which is also its bound.
     *
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public BoundedSemaphore(int value) {
        super(value, value);
        this.bound = value;
    }

    /** The initial value, which the count may never exceed. */
    public int bound() {
        return bound;
    }

    @Override
    public String toString() {
        return "BoundedSemaphore[permits=" + availablePermits() + ", bound=" + bound + "]";
    }
}

package dev.pyloom.threading;

/**
 * What a {@link Condition} needs from its lock beyond acquire and release. CPython's
 * {@code threading.Condition} asks the same three questions of its lock
 * ({@code _is_owned}, {@code _release_save}, {@code _acquire_restore}).
 */
interface ConditionLock {

    /** Whether the calling thread holds the lock (for an {@link RLock}: owns it, at any depth). */
    boolean isHeldByCurrentThread();

    /**
     * Releases the lock completely, whatever the calling thread's hold count, and returns what
     * {@link #restore(int)} needs to put it back. The caller holds the lock.
     */
    int releaseFully();

    /** Re-acquires the lock as {@link #releaseFully()} found it; waits uninterruptibly. */
    void restore(int saved);
}

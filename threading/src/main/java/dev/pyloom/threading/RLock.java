package dev.pyloom.threading;

import dev.pyloom.common.Durations;
import java.time.Duration;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;

/**
 * A reentrant lock: Python's {@code threading.RLock}.
 *
 * <p>The thread that acquires it owns it and may acquire it again without waiting; each
 * {@link #acquire()} adds one to its hold count, each {@link #release()} takes one away, and the
 * lock is free when the count is back to zero. Only the owner may release it: a release by any
 * other thread throws {@link IllegalStateException}, Python's
 * {@code RuntimeError: cannot release un-acquired lock}.
 *
 * <pre>{@code
 * RLock lock = new RLock();
 * try (var outer = lock.hold()) {
 *     try (var inner = lock.hold()) {   // no deadlock: same owner
 *         assert lock.holdCount() == 2;
 *     }
 * }
 * }</pre>
 *
 * <p>It behaves like {@link java.util.concurrent.locks.ReentrantLock} (non-fair) with Python's
 * names and errors, and is what a {@link Condition} uses when given no lock.
 */
public final class RLock implements Acquirable {

    private final Sync sync = new Sync();

    /** Creates an unlocked reentrant lock. */
    public RLock() {}

    /**
     * Acquires the lock: at once if the calling thread owns it already (the hold count goes up by
     * one), otherwise when it is free.
     *
     * @throws InterruptedException if the thread is interrupted while it waits
     */
    @Override
    public void acquire() throws InterruptedException {
        sync.acquireInterruptibly(1);
    }

    /** Acquires the lock if the calling thread owns it or it is free; never blocks. */
    @Override
    public boolean tryAcquire() {
        return sync.tryLock();
    }

    /**
     * Acquires the lock, waiting at most {@code timeout} for it to be free.
     *
     * @return whether the lock was acquired
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws InterruptedException     if the thread is interrupted while it waits
     */
    @Override
    public boolean tryAcquire(Duration timeout) throws InterruptedException {
        return sync.tryAcquireNanos(1, Durations.timeoutNanos(timeout, "timeout"));
    }

    /**
     * Takes one from the owner's hold count; at zero the lock is free and one waiting thread, if
     * any, gets its chance to acquire it. Never blocks.
     *
     * @throws IllegalStateException if the calling thread does not own the lock
     */
    @Override
    public void release() {
        sync.release(1);
    }

    /** Whether some thread owns the lock. Python's {@code locked()} (3.14). */
    public boolean locked() {
        return sync.holds() != 0;
    }

    /** Whether the calling thread owns the lock. Python's private {@code _is_owned()}. */
    public boolean isHeldByCurrentThread() {
        return sync.isHeldExclusively();
    }

    /** The calling thread's hold count: how many releases it owes; 0 if it does not own the lock. */
    public int holdCount() {
        return sync.isHeldExclusively() ? sync.holds() : 0;
    }

    /** The view of this lock a {@link Condition} built on it uses. */
    ConditionLock conditionLock() {
        return sync;
    }

    @Override
    public String toString() {
        Thread owner = sync.owner();
        return owner == null
                ? "RLock[unlocked]"
                : "RLock[owned by " + owner.getName() + " #" + owner.threadId() + ", count=" + sync.holds() + "]";
    }

    /*
     * State is the hold count; the owner is AQS's exclusiveOwnerThread.
     *
     *   0 -> n       first acquire by a thread (CAS), owner := that thread
     *   n -> n + k   re-acquire by the owner (plain write: only the owner gets here)
     *   n -> n - k   release by the owner
     *   k -> 0       last release by the owner, owner := null before the state is published
     *
     * Only the owner ever writes the owner field or a non-zero state, which is why, unlike
     * Lock, the owner can live in a field of its own.
     */
    @SuppressWarnings("serial") // AQS is Serializable; this lock is not, so neither is its state.
    private static final class Sync extends AbstractQueuedSynchronizer implements ConditionLock {

        @Override
        protected boolean tryAcquire(int acquires) {
            Thread me = Thread.currentThread();
            int holds = getState();
            if (holds == 0) {
                if (compareAndSetState(0, acquires)) {
                    setExclusiveOwnerThread(me);
                    return true;
                }
            } else if (getExclusiveOwnerThread() == me) {
                int more = holds + acquires;
                if (more < 0) {
                    throw new IllegalStateException("maximum recursion depth of RLock exceeded");
                }
                setState(more);
                return true;
            }
            return false;
        }

        @Override
        protected boolean tryRelease(int releases) {
            if (getExclusiveOwnerThread() != Thread.currentThread()) {
                throw new IllegalStateException("cannot release un-acquired lock");
            }
            int holds = getState() - releases;
            boolean free = holds == 0;
            if (free) {
                setExclusiveOwnerThread(null);
            }
            setState(holds);
            return free;
        }

        @Override
        protected boolean isHeldExclusively() {
            return getExclusiveOwnerThread() == Thread.currentThread();
        }

        boolean tryLock() {
            return tryAcquire(1);
        }

        int holds() {
            return getState();
        }

        Thread owner() {
            return getState() == 0 ? null : getExclusiveOwnerThread();
        }

        @Override
        public boolean isHeldByCurrentThread() {
            return isHeldExclusively();
        }

        @Override
        public int releaseFully() {
            int holds = getState();
            release(holds);
            return holds;
        }

        @Override
        public void restore(int holds) {
            acquire(holds);
        }
    }
}

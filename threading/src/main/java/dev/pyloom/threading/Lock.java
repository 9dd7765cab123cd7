package dev.pyloom.threading;

import dev.pyloom.common.Durations;
import java.time.Duration;
import java.util.concurrent.locks.AbstractQueuedLongSynchronizer;

/**
 * A primitive lock: Python's {@code threading.Lock}.
 *
 * <p>It is either locked or unlocked. {@link #acquire()} waits until it is unlocked and locks
 * it; {@link #release()} unlocks it. Unlike {@link java.util.concurrent.locks.ReentrantLock} it
 * is <em>not</em> reentrant (a thread that acquires it twice waits for itself forever) and it is
 * <em>not</em> owned: any thread may release it, which makes it a binary signal as well as a
 * mutex. Releasing a lock that is not locked throws {@link IllegalStateException}, Python's
 * {@code RuntimeError: release unlocked lock}.
 *
 * <pre>{@code
 * Lock lock = new Lock();
 * try (var held = lock.hold()) {   // with lock:
 *     balance = balance + n;
 * }
 * }</pre>
 *
 * <p>Waiting threads park through {@link java.util.concurrent.locks.LockSupport}, never on a
 * monitor, so a virtual thread that waits for a {@code Lock} frees its carrier. There is no
 * fairness guarantee: as in Python, a thread that arrives while the lock is free may take it
 * ahead of threads already waiting.
 */
public final class Lock implements Acquirable {

    private final Sync sync = new Sync();

    /** Creates an unlocked lock. */
    public Lock() {}

    /**
     * Waits until the lock is unlocked, then locks it.
     *
     * @throws InterruptedException if the thread is interrupted while it waits
     */
    @Override
    public void acquire() throws InterruptedException {
        sync.acquireInterruptibly(1);
    }

    /** Locks the lock if it is unlocked; never blocks. Python's {@code acquire(blocking=False)}. */
    @Override
    public boolean tryAcquire() {
        return sync.tryLock();
    }

    /**
     * Locks the lock, waiting at most {@code timeout} for it to be unlocked. Python's
     * {@code acquire(timeout=...)}.
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
     * Unlocks the lock; any thread may call it, not only the one that locked it. One waiting
     * thread, if any, then gets its chance to lock it. Never blocks.
     *
     * @throws IllegalStateException if the lock is not locked
     */
    @Override
    public void release() {
        sync.release(Sync.BY_ANY_THREAD);
    }

    /** Whether the lock is locked, by any thread. Python's {@code locked()}. */
    public boolean locked() {
        return sync.isLocked();
    }

    /** The view of this lock a {@link Condition} built on it uses. */
    ConditionLock conditionLock() {
        return sync;
    }

    @Override
    public String toString() {
        long holder = sync.holder();
        return holder == Sync.UNLOCKED ? "Lock[unlocked]" : "Lock[locked by thread #" + holder + "]";
    }

    /*
     * The synchronizer's state is the id of the thread that locked the lock, or 0 when unlocked:
     *
     *   0 -> tid   acquire, by the thread whose id is tid (a CAS: only one of the racers wins)
     *   tid -> 0   release, by any thread (a CAS: of two racing releases one wins, the other
     *              finds the lock unlocked and throws)
     *
     * Thread ids are positive and never reused, so one word says both "is it locked?" and
     * "who locked it?". Python only needs the first. The second lets Condition refuse to wait
     * on a Lock the calling thread did not acquire, and release it for the wait only if the
     * calling thread still holds it (tid -> 0 by that thread alone), both without a race: a
     * separate owner field, as ReentrantLock keeps, could not be cleared safely by a releasing
     * thread that is not the owner.
     */
    @SuppressWarnings("serial") // AQS is Serializable; this lock is not, so neither is its state.
    private static final class Sync extends AbstractQueuedLongSynchronizer implements ConditionLock {

        static final long UNLOCKED = 0;

        /** The argument of release(): by any thread (Lock.release), or only by the holder (Condition). */
        static final long BY_ANY_THREAD = 1;
        static final long BY_HOLDER = 2;

        @Override
        protected boolean tryAcquire(long ignored) {
            return compareAndSetState(UNLOCKED, Thread.currentThread().threadId());
        }

        @Override
        protected boolean tryRelease(long releasedBy) {
            if (releasedBy == BY_HOLDER) {
                if (!compareAndSetState(Thread.currentThread().threadId(), UNLOCKED)) {
                    throw new IllegalStateException("cannot wait on un-acquired lock");
                }
                return true;
            }
            for (;;) {
                long holder = getState();
                if (holder == UNLOCKED) {
                    throw new IllegalStateException("release unlocked lock");
                }
                if (compareAndSetState(holder, UNLOCKED)) {
                    return true;
                }
            }
        }

        @Override
        protected boolean isHeldExclusively() {
            return getState() == Thread.currentThread().threadId();
        }

        boolean tryLock() {
            return tryAcquire(1);
        }

        boolean isLocked() {
            return getState() != UNLOCKED;
        }

        long holder() {
            return getState();
        }

        @Override
        public boolean isHeldByCurrentThread() {
            return isHeldExclusively();
        }

        @Override
        public int releaseFully() {
            release(BY_HOLDER);
            return 1;
        }

        @Override
        public void restore(int saved) {
            acquire(1);
        }
    }
}

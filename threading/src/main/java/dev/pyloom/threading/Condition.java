package dev.pyloom.threading;

import dev.pyloom.common.Durations;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.SequencedSet;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.LockSupport;

/**
 * A condition variable: Python's {@code threading.Condition}.
 *
 * <p>A condition is bound to a lock (an {@link RLock} unless one is given). A thread that holds
 * the lock may {@linkplain #await() wait}: the lock is released, completely even if an
 * {@code RLock} is held several times over, the thread sleeps until another thread
 * {@linkplain #signal() notifies} it, and the lock is re-acquired, at the same depth, before the
 * wait returns. Notifying also requires holding the lock, and wakes waiters in the order they
 * started waiting.
 *
 * <p>{@code java.lang.Object} owns the final methods {@code wait()}, {@code notify()} and
 * {@code notifyAll()}; had this class used Python's names, a call would reach the object's
 * monitor and fail with {@code IllegalMonitorStateException}. It uses the vocabulary of
 * {@link java.util.concurrent.locks.Condition} instead:
 *
 * <table class="striped">
 *   <caption>Python → pyloom</caption>
 *   <tr><th>Python</th><th>pyloom</th></tr>
 *   <tr><td>{@code cv.wait()}</td><td>{@link #await()}</td></tr>
 *   <tr><td>{@code cv.wait(timeout)}</td><td>{@link #await(Duration)}</td></tr>
 *   <tr><td>{@code cv.wait_for(predicate, timeout)}</td><td>{@link #waitFor(BooleanSupplier, Duration)}</td></tr>
 *   <tr><td>{@code cv.notify(n=1)}</td><td>{@link #signal()}, {@link #signal(int)}</td></tr>
 *   <tr><td>{@code cv.notify_all()}</td><td>{@link #signalAll()}</td></tr>
 * </table>
 *
 * <p>The producer/consumer idiom:
 * <pre>{@code
 * try (var held = cv.hold()) {            // consumer
 *     cv.waitFor(() -> !items.isEmpty());
 *     item = items.removeFirst();
 * }
 * try (var held = cv.hold()) {            // producer
 *     items.add(item);
 *     cv.signal();
 * }
 * }</pre>
 *
 * <p>Two things differ from CPython, both on the safe side. A notification is never spent on a
 * waiter that has already given up: a waiter whose timeout expires (or that is interrupted) at the
 * moment it is notified either returns {@code true}, having consumed the notification, or
 * leaves it for the next waiter. And "holding the lock" means the calling thread acquired it,
 * also for a plain {@link Lock}, where CPython only checks that somebody did.
 */
public final class Condition implements Acquirable {

    private final Acquirable lock;
    private final ConditionLock ownership;

    /** Threads waiting to be notified, oldest first. Guarded by {@code lock}. */
    private final SequencedSet<Waiter> waiters = new LinkedHashSet<>();

    /** Creates a condition over a new {@link RLock}, as Python does when given no lock. */
    public Condition() {
        this(new RLock());
    }

    /** Creates a condition over {@code lock}, a non-reentrant lock. */
    public Condition(Lock lock) {
        this(lock, Objects.requireNonNull(lock, "lock").conditionLock());
    }

    /** Creates a condition over {@code lock}, a reentrant lock. */
    public Condition(RLock lock) {
        this(lock, Objects.requireNonNull(lock, "lock").conditionLock());
    }

    private Condition(Acquirable lock, ConditionLock ownership) {
        this.lock = lock;
        this.ownership = ownership;
    }

    /** Acquires the underlying lock. */
    @Override
    public void acquire() throws InterruptedException {
        lock.acquire();
    }

    /** Acquires the underlying lock if that is possible at once. */
    @Override
    public boolean tryAcquire() {
        return lock.tryAcquire();
    }

    /** Acquires the underlying lock, waiting at most {@code timeout}. */
    @Override
    public boolean tryAcquire(Duration timeout) throws InterruptedException {
        return lock.tryAcquire(timeout);
    }

    /** Releases the underlying lock. */
    @Override
    public void release() {
        lock.release();
    }

    /**
     * Releases the lock, waits until notified, and re-acquires the lock. Python's {@code wait()}.
     *
     * <p>If the thread is interrupted while it waits, the lock is still re-acquired before
     * {@code InterruptedException} is thrown; if the interrupt races with a notification, the
     * notification wins and the interrupt is left set on the thread.
     *
     * @throws IllegalStateException if the calling thread does not hold the lock
     * @throws InterruptedException  if the thread is interrupted while it waits
     */
    public void await() throws InterruptedException {
        awaitNanos(false, 0);
    }

    /**
     * Like {@link #await()}, but gives up after {@code timeout}. Python's {@code wait(timeout)}.
     *
     * @return {@code true} if notified, {@code false} if the timeout elapsed first; the lock is
     *         held again either way
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws IllegalStateException    if the calling thread does not hold the lock
     * @throws InterruptedException     if the thread is interrupted while it waits
     */
    public boolean await(Duration timeout) throws InterruptedException {
        return awaitNanos(true, Durations.timeoutNanos(timeout, "timeout"));
    }

    /**
     * Waits until {@code predicate} is true. The predicate is evaluated with the lock held, first
     * before any waiting and then after each notification. Python's {@code wait_for(predicate)}.
     *
     * @throws IllegalStateException if the calling thread does not hold the lock
     * @throws InterruptedException  if the thread is interrupted while it waits
     */
    public void waitFor(BooleanSupplier predicate) throws InterruptedException {
        Objects.requireNonNull(predicate, "predicate");
        requireHeld("wait on");
        while (!predicate.getAsBoolean()) {
            await();
        }
    }

    /**
     * Waits until {@code predicate} is true or {@code timeout} has elapsed in all. Python's
     * {@code wait_for(predicate, timeout)}.
     *
     * @return the predicate's last value: {@code false} only if the time ran out
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws IllegalStateException    if the calling thread does not hold the lock
     * @throws InterruptedException     if the thread is interrupted while it waits
     */
    public boolean waitFor(BooleanSupplier predicate, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(predicate, "predicate");
        long nanos = Durations.timeoutNanos(timeout, "timeout");
        long deadline = System.nanoTime() + nanos;
        requireHeld("wait on");
        boolean result = predicate.getAsBoolean();
        // As CPython: the first wait gets the whole timeout, even zero, so that the lock is given
        // up at least once and another thread has a chance to make the predicate true.
        long remaining = nanos;
        while (!result) {
            awaitNanos(true, remaining);
            result = predicate.getAsBoolean();
            remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                break;
            }
        }
        return result;
    }

    /**
     * Wakes the longest-waiting thread, if any. Python's {@code notify()}. The woken thread
     * returns from its wait only once it has re-acquired the lock, so not before the caller
     * releases it.
     *
     * @throws IllegalStateException if the calling thread does not hold the lock
     */
    public void signal() {
        signal(1);
    }

    /**
     * Wakes up to {@code n} waiting threads, longest-waiting first. Python's {@code notify(n)}.
     *
     * @throws IllegalArgumentException if {@code n} is negative
     * @throws IllegalStateException    if the calling thread does not hold the lock
     */
    public void signal(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("cannot notify a negative number of waiters: " + n);
        }
        requireHeld("notify on");
        while (n > 0 && !waiters.isEmpty()) {
            if (waiters.removeFirst().notifyWaiter()) {
                n--;
            }
        }
    }

    /**
     * Wakes every waiting thread. Python's {@code notify_all()}.
     *
     * @throws IllegalStateException if the calling thread does not hold the lock
     */
    public void signalAll() {
        signal(Integer.MAX_VALUE);
    }

    @Override
    public String toString() {
        return "Condition[" + lock + "]";
    }

    /*
     * The wait proper. The delicate points:
     * - the waiter is queued *before* the lock is released, so a notifier that acquires the lock
     *   right after our release already sees us;
     * - the outcome is decided by one CAS on the waiter's status: the notifier's
     *   WAITING -> NOTIFIED or our own WAITING -> ABANDONED (timeout or interrupt). Whoever wins,
     *   exactly one of "we were notified" and "the notification went to someone else" is true;
     * - the lock is re-acquired uninterruptibly and before anything else can throw, because the
     *   caller's try/finally will release it;
     * - a notified waiter was dequeued by its notifier; an abandoned one dequeues itself, which
     *   is safe only once it holds the lock again.
     */
    private boolean awaitNanos(boolean timed, long nanos) throws InterruptedException {
        requireHeld("wait on");
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        Waiter me = new Waiter(Thread.currentThread());
        waiters.add(me);
        int saved;
        try {
            saved = ownership.releaseFully();
        } catch (IllegalStateException noLongerHeld) {
            // Another thread released our plain Lock since requireHeld (any thread may). We hold
            // nothing now, so we must not touch the queue; abandoning the waiter makes the next
            // notifier drop it instead of spending a notification on it.
            me.abandon();
            throw noLongerHeld;
        }

        boolean interrupted = false;
        long deadline = System.nanoTime() + nanos;
        while (me.isWaiting()) {
            if (timed) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    break;
                }
                LockSupport.parkNanos(this, remaining);
            } else {
                LockSupport.park(this);
            }
            if (Thread.interrupted()) {
                interrupted = true;
                break;
            }
        }
        boolean notified = !me.abandon();

        ownership.restore(saved);
        if (!notified) {
            waiters.remove(me);
        }
        if (interrupted) {
            if (!notified) {
                throw new InterruptedException();
            }
            Thread.currentThread().interrupt();
        }
        return notified;
    }

    private void requireHeld(String action) {
        if (!ownership.isHeldByCurrentThread()) {
            throw new IllegalStateException("cannot " + action + " un-acquired lock");
        }
    }

    /** One waiting thread. Its status is its whole state machine; see the transitions below. */
    private static final class Waiter {

        /*
         * status:
         *   WAITING -> NOTIFIED    by a notifier holding the lock, which then unparks the thread
         *   WAITING -> ABANDONED   by the waiting thread itself, after a timeout or an interrupt
         */
        private static final int WAITING = 0;
        private static final int NOTIFIED = 1;
        private static final int ABANDONED = 2;

        private static final VarHandle STATUS;

        static {
            try {
                STATUS = MethodHandles.lookup().findVarHandle(Waiter.class, "status", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final Thread thread;
        @SuppressWarnings("unused") // accessed through STATUS
        private volatile int status = WAITING;

        Waiter(Thread thread) {
            this.thread = thread;
        }

        boolean isWaiting() {
            return status == WAITING;
        }

        /** Notifies this waiter unless it has given up; returns whether it was notified. */
        boolean notifyWaiter() {
            if (STATUS.compareAndSet(this, WAITING, NOTIFIED)) {
                LockSupport.unpark(thread);
                return true;
            }
            return false;
        }

        /** Gives up waiting unless already notified; returns whether it gave up. */
        boolean abandon() {
            return STATUS.compareAndSet(this, WAITING, ABANDONED);
        }
    }
}

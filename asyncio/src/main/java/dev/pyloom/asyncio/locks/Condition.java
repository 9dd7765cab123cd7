package dev.pyloom.asyncio.locks;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import dev.pyloom.asyncio.CancelledException;
import dev.pyloom.asyncio.EventLoop;
import dev.pyloom.asyncio.ExceptionGroup;
import dev.pyloom.asyncio.Future;
import dev.pyloom.asyncio.LoopBound;

/**
 * A condition variable for coroutines: Python's {@code asyncio.Condition}.
 *
 * <p>A coroutine that holds the condition's {@link Lock} may {@link #await()}: the lock is
 * released, the coroutine suspends until another {@linkplain #signal() notifies} it, and the lock
 * is taken again before {@code await()} returns, even if the wait was cancelled. Python's
 * {@code wait}/{@code notify}/{@code notify_all} are {@code await}/{@code signal}/{@code signalAll}
 * here, because {@code java.lang.Object} owns the Python names.
 *
 * <pre>{@code
 * try (var held = cond.hold()) {
 *     cond.waitFor(() -> !items.isEmpty());
 *     item = items.removeFirst();
 * }
 * }</pre>
 */
public final class Condition extends LoopBound implements Acquirable {

    private final Lock lock;
    private final ArrayDeque<Future<Void>> waiters = new ArrayDeque<>();

    /** A condition over a new {@link Lock}. */
    public Condition() {
        this(new Lock());
    }

    /** A condition over {@code lock}. */
    public Condition(Lock lock) {
        this.lock = Objects.requireNonNull(lock, "lock");
    }

    /** Acquires the underlying lock. An await point. */
    @Override
    public void acquire() {
        loop();
        lock.acquire();
    }

    /** Releases the underlying lock. */
    @Override
    public void release() {
        loop();
        lock.release();
    }

    /** Whether the underlying lock is taken. */
    @Override
    public boolean locked() {
        loop();
        return lock.locked();
    }

    /**
     * Releases the lock, suspends until notified, and takes the lock again. Python's
     * {@code await cond.wait()}. An await point. If the task is cancelled while it waits, the
     * lock is still taken again before the cancellation is thrown, and another waiter is woken in
     * its place, so that a notification it received is never lost.
     *
     * @throws IllegalStateException if the lock is not held (Python's {@code RuntimeError})
     * @throws CancelledException    if the task is cancelled while it waits
     */
    public void await() {
        EventLoop loop = coroutineLoop("await");
        if (!lock.locked()) {
            throw new IllegalStateException("cannot wait on un-acquired lock");
        }
        lock.release();
        Throwable failure = null;
        try {
            awaitInLine(loop.createFuture(), waiters);
        } catch (Throwable cancelled) {
            failure = cancelled;
        }
        // The lock must be ours again whatever happens; a cancellation while taking it is kept
        // for later. Whatever form it takes here: inside a timeout scope or a task group it is
        // already the scope's TimeoutException or ExceptionGroup when it reaches this await point.
        while (true) {
            try {
                lock.acquire();
                break;
            } catch (Exception again) {
                failure = again;
            }
        }
        if (failure != null) {
            // This wait ends without acting on a notification it may have been given, while
            // waiting or while taking the lock back: wake another waiter in its place, as
            // Python's wait() does for any exception (at worst a spurious wake-up, which
            // waitFor() absorbs).
            signalUnchecked(1);
            throw dev.pyloom.asyncio.internal.Rethrow.<RuntimeException>unchecked(failure);
        }
    }

    /**
     * Waits until {@code predicate} is true, evaluating it with the lock held, first at once and
     * then after every notification. Python's {@code await cond.wait_for(predicate)}.
     *
     * @throws IllegalStateException if the lock is not held
     */
    public void waitFor(BooleanSupplier predicate) {
        Objects.requireNonNull(predicate, "predicate");
        while (!predicate.getAsBoolean()) {
            await();
        }
    }

    /** Wakes the longest-waiting coroutine, if any. Python's {@code notify()}. @throws IllegalStateException if the lock is not held */
    public void signal() {
        signal(1);
    }

    /**
     * Wakes up to {@code n} waiting coroutines, oldest first. Python's {@code notify(n)}. They
     * return from {@code await()} once they have the lock again.
     *
     * @throws IllegalStateException if the lock is not held
     */
    public void signal(int n) {
        loop();
        if (!lock.locked()) {
            throw new IllegalStateException("cannot notify on un-acquired lock");
        }
        signalUnchecked(n);
    }

    /** Wakes every waiting coroutine. Python's {@code notify_all()}. @throws IllegalStateException if the lock is not held */
    public void signalAll() {
        signal(Integer.MAX_VALUE);
    }

    private void signalUnchecked(int n) {
        int woken = 0;
        for (Future<Void> waiter : waiters) {
            if (woken >= n) {
                break;
            }
            if (!waiter.done()) {
                woken++;
                waiter.setResult(null);
            }
        }
    }

    @Override
    public String toString() {
        return "Condition[" + lock + (waiters.isEmpty() ? "" : ", waiters:" + waiters.size()) + "]";
    }
}

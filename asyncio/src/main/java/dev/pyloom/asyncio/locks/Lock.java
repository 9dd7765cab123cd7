package dev.pyloom.asyncio.locks;

import java.util.ArrayDeque;
import dev.pyloom.asyncio.EventLoop;
import dev.pyloom.asyncio.Future;
import dev.pyloom.asyncio.LoopBound;

/**
 * A mutual-exclusion lock for coroutines: Python's {@code asyncio.Lock}.
 *
 * <p>{@link #acquire()} suspends the coroutine (not its thread: the loop runs others) until the
 * lock is free; waiters get it in the order they asked, and a waiter that is cancelled gives up
 * its place without losing the lock for the others. Not reentrant, and, as in Python, not owned:
 * any coroutine of the loop may release it.
 *
 * <pre>{@code
 * Lock lock = new Lock();
 * try (var held = lock.hold()) {   // async with lock:
 *     balance = balance + n;       // no other coroutine of this loop runs the body meanwhile
 * }
 * }</pre>
 *
 * <p>There is no lock inside: the lock's state is only touched by its loop's coroutines, one at a
 * time. Used from another thread, it throws {@link IllegalStateException}.
 */
public final class Lock extends LoopBound implements Acquirable {

    private boolean locked;
    /** The futures of waiting coroutines, oldest first; a done one is about to take the lock. */
    private final ArrayDeque<Future<Void>> waiters = new ArrayDeque<>();

    /** An unlocked lock, bound to the loop that first uses it. */
    public Lock() {}

    /** Waits until the lock is free, then takes it. Python's {@code await lock.acquire()}. An await point. */
    @Override
    public void acquire() {
        EventLoop loop = coroutineLoop("acquire");
        if (!locked && waiters.stream().allMatch(Future::cancelled)) {
            locked = true;
            return;
        }
        try {
            awaitInLine(loop.createFuture(), waiters);
        } catch (Throwable cancelled) {
            // Keep the invariant: if the lock is free and somebody waits, the first waiter wakes.
            if (!locked) {
                wakeUpFirst();
            }
            throw cancelled;
        }
        locked = true;
    }

    /**
     * Frees the lock and wakes the first waiter. Python's {@code release()}. Never blocks.
     *
     * @throws IllegalStateException if the lock is not locked (Python's {@code RuntimeError})
     */
    @Override
    public void release() {
        loop();
        if (!locked) {
            throw new IllegalStateException("Lock is not acquired.");
        }
        locked = false;
        wakeUpFirst();
    }

    /** Whether the lock is taken. Python's {@code locked()}. */
    @Override
    public boolean locked() {
        loop();
        return locked;
    }

    private void wakeUpFirst() {
        Future<Void> first = waiters.peekFirst();
        if (first != null && !first.done()) {
            first.setResult(null);
        }
    }

    @Override
    public String toString() {
        return "Lock[" + (locked ? "locked" : "unlocked") + (waiters.isEmpty() ? "" : ", waiters:" + waiters.size()) + "]";
    }
}

package dev.pyloom.asyncio.locks;

import java.util.ArrayDeque;
import dev.pyloom.asyncio.EventLoop;
import dev.pyloom.asyncio.Future;
import dev.pyloom.asyncio.LoopBound;

/**
 * A counter of permits for coroutines: Python's {@code asyncio.Semaphore}.
 *
 * <p>{@link #acquire()} takes a permit, suspending the coroutine while there is none;
 * {@link #release()} gives one back. Waiters are served first come, first served: while anybody
 * waits, a newcomer waits too, even if a permit is free. A waiter that was handed a permit but is
 * cancelled before it runs gives the permit back to the next one.
 *
 * <pre>{@code
 * Semaphore connections = new Semaphore(10);
 * try (var held = connections.hold()) {   // async with connections:
 *     fetch(url);
 * }
 * }</pre>
 */
public sealed class Semaphore extends LoopBound implements Acquirable permits BoundedSemaphore {

    private int value;
    private final ArrayDeque<Future<Void>> waiters = new ArrayDeque<>();

    /**
     * A semaphore with {@code value} permits. Python's {@code Semaphore(value)}.
     *
     * @throws IllegalArgumentException if {@code value} is negative (Python's {@code ValueError})
     */
    public Semaphore(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("Semaphore initial value must be >= 0");
        }
        this.value = value;
    }

    /** A semaphore with one permit. */
    public Semaphore() {
        this(1);
    }

    /**
     * Whether an acquire would wait: no permit left, or somebody waiting already. Python's
     * {@code locked()}.
     */
    @Override
    public boolean locked() {
        loop();
        return value == 0 || waiters.stream().anyMatch(w -> !w.cancelled());
    }

    /** Takes a permit, waiting for one in turn. Python's {@code await sem.acquire()}. An await point. */
    @Override
    public void acquire() {
        EventLoop loop = coroutineLoop("acquire");
        if (!locked()) {
            value--;
            return;
        }
        Future<Void> turn = loop.createFuture();
        try {
            awaitInLine(turn, waiters);
        } catch (Throwable cancelled) {
            if (turn.done() && !turn.cancelled()) {
                value++; // we were handed a permit we will not use
            }
            throw cancelled;
        } finally {
            // Newcomers may have queued behind us while permits were free: wake as many as fit.
            while (value > 0 && wakeUpNext()) {
                // each call hands one permit to one waiter
            }
        }
    }

    /**
     * Gives a permit back and wakes the first waiter. Python's {@code release()}. Never blocks.
     *
     * @throws IllegalArgumentException for a {@link BoundedSemaphore} released beyond its initial value
     */
    @Override
    public void release() {
        loop();
        value++;
        wakeUpNext();
    }

    /** The free permits, Python's private {@code _value}: for tests and monitoring. */
    public int availablePermits() {
        loop();
        return value;
    }

    /** Hands a permit to the first waiter not yet woken; whether there was one. */
    private boolean wakeUpNext() {
        for (Future<Void> waiter : waiters) {
            if (!waiter.done()) {
                value--;
                waiter.setResult(null);
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + (value == 0 ? "locked" : "unlocked, value:" + value)
                + (waiters.isEmpty() ? "" : ", waiters:" + waiters.size()) + "]";
    }
}

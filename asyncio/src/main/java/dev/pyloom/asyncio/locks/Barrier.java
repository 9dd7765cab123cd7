package dev.pyloom.asyncio.locks;

import java.util.concurrent.BrokenBarrierException;
import dev.pyloom.asyncio.CancelledException;
import dev.pyloom.asyncio.LoopBound;

/**
 * A meeting point for a fixed number of coroutines: Python's {@code asyncio.Barrier}.
 *
 * <p>Each of {@link #parties()} coroutines calls {@link #await()}; all of them wait until the
 * last arrives, then all go on, and the barrier is ready for the next round. {@link #abort()}
 * breaks it (every waiter, and every later caller, gets {@link BrokenBarrierException});
 * {@link #reset()} breaks the current round only and makes the barrier usable again.
 * Python's {@code wait} is {@code await} here, because {@code java.lang.Object} owns {@code wait}.
 */
public final class Barrier extends LoopBound {

    /*
     * state: FILLING -> DRAINING   the last party arrived; the others are leaving
     *        DRAINING -> FILLING   the last one left
     *        FILLING|DRAINING -> RESETTING -> FILLING   reset() with parties inside
     *        any -> BROKEN         abort()
     * Only touched on the loop; every change notifies the condition.
     */
    private enum State { FILLING, DRAINING, RESETTING, BROKEN }

    private final Condition cond = new Condition();
    private final int parties;
    private State state = State.FILLING;
    private int count; // coroutines inside await()

    /**
     * A barrier for {@code parties} coroutines.
     *
     * @throws IllegalArgumentException if {@code parties} is less than 1
     */
    public Barrier(int parties) {
        if (parties < 1) {
            throw new IllegalArgumentException("parties must be > 0");
        }
        this.parties = parties;
    }

    /**
     * Waits until {@link #parties()} coroutines are waiting, then lets them all go. Python's
     * {@code await barrier.wait()}. An await point.
     *
     * @return the arrival index, from 0 for the first to {@code parties() - 1} for the last
     * @throws BrokenBarrierException if the barrier is broken, or is reset or aborted while waiting
     * @throws CancelledException     if the task is cancelled while it waits
     */
    public int await() throws BrokenBarrierException {
        coroutineLoop("await");
        try (var held = cond.hold()) {
            cond.waitFor(() -> state != State.DRAINING && state != State.RESETTING);
            if (state == State.BROKEN) {
                throw new BrokenBarrierException("Barrier aborted");
            }
            try {
                int index = count++;
                if (index + 1 == parties) {
                    state = State.DRAINING; // release everybody
                    cond.signalAll();
                } else {
                    cond.waitFor(() -> state != State.FILLING);
                    if (state == State.BROKEN || state == State.RESETTING) {
                        throw new BrokenBarrierException("Abort or reset of barrier");
                    }
                }
                return index;
            } finally {
                count--;
                if (count == 0) {
                    if (state == State.RESETTING || state == State.DRAINING) {
                        state = State.FILLING;
                    }
                    cond.signalAll();
                }
            }
        }
    }

    /**
     * Returns the barrier to its empty state; coroutines waiting in it get
     * {@link BrokenBarrierException}. Python's {@code await barrier.reset()}. An await point.
     */
    public void reset() {
        coroutineLoop("reset");
        try (var held = cond.hold()) {
            if (count > 0) {
                state = State.RESETTING;
            } else {
                state = State.FILLING;
            }
            cond.signalAll();
        }
    }

    /**
     * Breaks the barrier: waiting and later callers get {@link BrokenBarrierException} until
     * {@link #reset()}. Python's {@code await barrier.abort()}. An await point.
     */
    public void abort() {
        coroutineLoop("abort");
        try (var held = cond.hold()) {
            state = State.BROKEN;
            cond.signalAll();
        }
    }

    /** How many coroutines must arrive. Python's {@code parties}. */
    public int parties() {
        return parties;
    }

    /** How many coroutines wait to fill the barrier. Python's {@code n_waiting}. */
    public int nWaiting() {
        loop();
        return state == State.FILLING ? count : 0;
    }

    /** Whether the barrier is broken. Python's {@code broken}. */
    public boolean isBroken() {
        loop();
        return state == State.BROKEN;
    }

    @Override
    public String toString() {
        return "Barrier[" + state.name().toLowerCase(java.util.Locale.ROOT) + ", waiters:" + count + "/" + parties + "]";
    }
}

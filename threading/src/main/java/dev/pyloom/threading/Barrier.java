package dev.pyloom.threading;

import dev.pyloom.common.Durations;
import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A rendezvous for a fixed number of threads: Python's {@code threading.Barrier}.
 *
 * <p>Each of {@code parties} threads calls {@link #await()}; the first {@code parties - 1} wait,
 * and the last to arrive runs the optional action and then releases them all. The barrier then
 * resets itself for the next round. {@code await} returns the thread's arrival index, distinct
 * for each party in a round: {@code 0} for the first to arrive, {@code parties - 1} for the last.
 *
 * <pre>{@code
 * Barrier start = new Barrier(3);
 * // in each of three threads:
 * if (start.await() == 0) {
 *     log("all three are ready");   // exactly one thread per round logs
 * }
 * }</pre>
 *
 * <p>The barrier <em>breaks</em> when a waiting thread times out or is interrupted, when the
 * action throws, or on {@link #abort()}. Every thread waiting then, and every later caller, gets
 * {@link BrokenBarrierException} (also the thread that timed out, as in Python; unlike
 * {@link java.util.concurrent.CyclicBarrier}, which gives that one a {@code TimeoutException}),
 * until {@link #reset()}.
 */
public final class Barrier {

    private final int parties;
    private final Runnable action;
    private final Duration defaultTimeout;

    private final ReentrantLock lock = new ReentrantLock();
    private final java.util.concurrent.locks.Condition roundOver = lock.newCondition();

    /*
     * Each round has its own Round object, so a thread that wakes up can tell "my round ended"
     * (round != mine) from "my round broke" (mine.broken) however many rounds have passed since:
     *
     *   current round, filling   -> a new round, empty   the last party arrives and the action succeeds
     *   current round, filling   -> broken               timeout, interrupt, failing action, abort()
     *   any                      -> a new round, empty   reset(); waiters of the old round see it broken
     */
    private Round round = new Round(); // guarded by lock
    private int arrived;               // parties arrived in the current round; guarded by lock

    /** Creates a barrier for {@code parties} threads, with no action and no default timeout. */
    public Barrier(int parties) {
        this(null, parties, null);
    }

    /** Creates a barrier for {@code parties} threads whose last arrival runs {@code action}. */
    public Barrier(int parties, Runnable action) {
        this(null, parties, action);
    }

    /**
     * Creates a barrier. Python's {@code Barrier(parties, action=None, timeout=None)}.
     *
     * @param parties        the number of threads that must arrive for a round to complete
     * @param action         run by the last thread to arrive, before any is released; may be null
     * @param defaultTimeout used by {@link #await()}
     * @throws IllegalArgumentException if {@code parties} is less than one or the timeout negative
     * @throws NullPointerException     if {@code defaultTimeout} is null: the constructors without
     *                                  one make a barrier whose {@code await()} waits for as long as it takes
     */
    public Barrier(int parties, Runnable action, Duration defaultTimeout) {
        this(java.util.Objects.requireNonNull(defaultTimeout, "defaultTimeout"), parties, action);
    }

    /** The constructors' common part; a null {@code defaultTimeout} is none. */
    private Barrier(Duration defaultTimeout, int parties, Runnable action) {
        if (parties < 1) {
            throw new IllegalArgumentException("parties must be > 0, got " + parties);
        }
        if (defaultTimeout != null) {
            Durations.timeoutNanos(defaultTimeout, "defaultTimeout");
        }
        this.parties = parties;
        this.action = action;
        this.defaultTimeout = defaultTimeout;
    }

    /**
     * Waits until all parties have arrived (or the barrier's default timeout, if it has one).
     * Python's {@code wait()}.
     *
     * @return this thread's arrival index in the round, from {@code 0} to {@code parties - 1}
     * @throws BrokenBarrierException if the barrier is or becomes broken while waiting
     * @throws InterruptedException   if the thread is interrupted while it waits; the barrier
     *                                breaks
     */
    public int await() throws InterruptedException, BrokenBarrierException {
        return defaultTimeout == null ? awaitNanos(false, 0) : await(defaultTimeout);
    }

    /**
     * Waits at most {@code timeout} for all parties to arrive. If the time runs out the barrier
     * breaks and this thread, like every other waiter, gets {@code BrokenBarrierException}.
     *
     * @return this thread's arrival index in the round, from {@code 0} to {@code parties - 1}
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws BrokenBarrierException   if the barrier is or becomes broken, or the timeout elapses
     * @throws InterruptedException     if the thread is interrupted while it waits; the barrier
     *                                  breaks
     */
    public int await(Duration timeout) throws InterruptedException, BrokenBarrierException {
        return awaitNanos(true, Durations.timeoutNanos(timeout, "timeout"));
    }

    /*
     * The shape is CyclicBarrier's. The last arrival does the round's work (the action, then
     * opening the next round) while holding the lock, so no thread can arrive for the next
     * round before this one is released, and the action runs exactly once per round.
     */
    private int awaitNanos(boolean timed, long nanos) throws InterruptedException, BrokenBarrierException {
        // lock(), not lockInterruptibly(): an interrupt that arrives before the thread is in
        // must still break the barrier, or the parties already waiting would wait forever.
        lock.lock();
        try {
            Round mine = round;
            if (mine.broken) {
                throw new BrokenBarrierException("barrier is broken");
            }
            if (Thread.interrupted()) {
                breakRound();
                throw new InterruptedException();
            }
            int index = arrived++;
            if (arrived == parties) {
                runActionOrBreak();
                startNextRound();
                return index;
            }
            for (;;) {
                try {
                    if (!timed) {
                        roundOver.await();
                    } else if (nanos > 0) {
                        nanos = roundOver.awaitNanos(nanos);
                    }
                } catch (InterruptedException e) {
                    if (mine == round && !mine.broken) {
                        breakRound();
                        throw e;
                    }
                    // The round ended while we were being interrupted: the wait succeeded (or
                    // broke) anyway; keep the interrupt for the caller to see.
                    Thread.currentThread().interrupt();
                }
                if (mine.broken) {
                    throw new BrokenBarrierException("barrier is broken");
                }
                if (mine != round) {
                    return index;
                }
                if (timed && nanos <= 0) {
                    String missing = (parties - arrived) + " of " + parties;
                    breakRound();
                    throw new BrokenBarrierException("barrier timed out waiting for " + missing + " parties");
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void runActionOrBreak() {
        if (action == null) {
            return;
        }
        boolean ran = false;
        try {
            action.run();
            ran = true;
        } finally {
            if (!ran) {
                breakRound();
            }
        }
    }

    /** Breaks the barrier: every waiting thread, and every later arrival, gets BrokenBarrierException. */
    public void abort() {
        lock.lock();
        try {
            breakRound();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns the barrier to its initial, empty state. Threads waiting in the current round get
     * {@link BrokenBarrierException}; a broken barrier becomes usable again.
     */
    public void reset() {
        lock.lock();
        try {
            breakRound();
            startNextRound();
        } finally {
            lock.unlock();
        }
    }

    /** The number of threads required to pass the barrier. */
    public int parties() {
        return parties;
    }

    /** The number of threads currently waiting in this round. Python's {@code n_waiting}. */
    public int nWaiting() {
        lock.lock();
        try {
            return round.broken ? 0 : arrived;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the barrier is broken. Python's {@code broken}. */
    public boolean isBroken() {
        lock.lock();
        try {
            return round.broken;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "Barrier[parties=" + parties + ", waiting=" + nWaiting() + (isBroken() ? ", broken]" : "]");
    }

    private void breakRound() { // lock held
        round.broken = true;
        arrived = 0;
        roundOver.signalAll();
    }

    private void startNextRound() { // lock held
        roundOver.signalAll();
        round = new Round();
        arrived = 0;
    }

    /** One round of the barrier; see the state diagram on {@code round}. */
    private static final class Round {
        boolean broken; // guarded by the barrier's lock
    }
}

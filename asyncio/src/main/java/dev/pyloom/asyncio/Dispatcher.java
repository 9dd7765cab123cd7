package dev.pyloom.asyncio;

import dev.pyloom.common.Durations;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import jdk.jfr.FlightRecorder;

/**
 * What an {@link EventLoop} runs, and when: its ready queue, its timers, the inbox other threads
 * send to, and the driver's wait for any of them. CPython's {@code BaseEventLoop._run_once} and
 * the queues it reads ({@code _ready}, {@code _scheduled}, the self-pipe).
 *
 * <pre>
 *   other threads ── submitForeign ──► inbox ─┐
 *   due timers ────────────────────── timers ─┼──► ready ──► runOnce: each item, in order
 *   the turn's holder ───── schedule ─────────┘
 * </pre>
 *
 * <p>The ready queue and the timers are the turn holder's alone (the driver's, or a task's thread
 * while its coroutine runs: {@link LoopTurn}); the inbox and the timers cancelled elsewhere are
 * for any thread, and wake the driver if it is parked.
 */
final class Dispatcher {

    private final EventLoop loop;

    // ---- only touched by the thread holding the loop's turn (or, while it is not running, by its user)
    /** What to run, in order: handles, tasks' steps, and sleeping tasks to wake (see runItem). */
    final ArrayDeque<Object> ready = new ArrayDeque<>();
    /**
     * How many items at the head of the ready queue this turn still runs (what was ready when it
     * began). The driver counts them down; so does a handoff task that passes the turn straight
     * to the next one. Only touched by the holder of the turn.
     */
    int stepsLeft;
    private final TimerHeap timers = new TimerHeap();
    /** The driver was interrupted while the loop waited (only the driver touches it). */
    boolean driverInterrupted;
    private long timerSequence;

    // ---- any thread
    /** Items other threads send: the loop takes them into the ready queue at its next turn. */
    private final ConcurrentLinkedQueue<Object> inbox = new ConcurrentLinkedQueue<>();
    /** Timers cancelled by other threads: the loop takes them out of its heap at its next turn. */
    private final ConcurrentLinkedQueue<TimerHandle> cancelledElsewhere = new ConcurrentLinkedQueue<>();
    /** True while the driver is parked waiting for work or a timer. */
    private volatile boolean idle;

    Dispatcher(EventLoop loop) {
        this.loop = loop;
    }

    /** A callback's timer, due at {@code when}. */
    TimerHandle addTimer(long when, Runnable callback) {
        TimerHandle timer = new TimerHandle(loop, when, timerSequence++, callback);
        timers.add(when, timer.sequence, timer);
        return timer;
    }

    /** Wakes {@code sleeper} at {@code when}: {@link Task#sleepUntil}'s timer, the task itself. */
    void wakeAt(long when, Task<?> sleeper) {
        timers.add(when, timerSequence++, sleeper);
    }

    /** Ends {@code sleeper}'s timer: out of the heap if it is there, its wake-up stale if it was queued. */
    void forgetWake(Task<?> sleeper) {
        timers.remove(sleeper);
        sleeper.timerIndex = TimerHeap.NOT_IN_HEAP;
    }

    /**
     * Takes a cancelled timer out of the heap; called by TimerHandle. The heap is the turn
     * holder's alone: a timer cancelled by any other thread (the loop's user included, while it
     * is not running) leaves it at the loop's next turn, or as it comes due if that is first,
     * so that far-future timers cancelled elsewhere do not pile up.
     */
    void timerCancelled(TimerHandle timer) {
        if (loop.turn.heldByCaller()) {
            timers.remove(timer);
        } else {
            cancelledElsewhere.add(timer);
        }
    }

    /** Timers in the heap, those cancelled from other threads included (for tests). */
    int timersInHeap() {
        return timers.size();
    }

    /*
     * One turn, CPython's BaseEventLoop._run_once:
     * - take what other threads sent;
     * - if nothing is ready, sleep until the first timer is due or another thread sends something;
     * - move the timers that are due to the ready queue, in time order;
     * - run what is ready now, and only that: what these callbacks schedule runs next turn, so a
     *   callback that reschedules itself cannot starve the timers or the inbox.
     * Under handoff a task may begin the next turn itself (beginTurnWithoutWaiting), and it
     * counts down stepsLeft as it passes the turn on: the loop below reads it, not a copy.
     */
    void runOnce() {
        drainInbox();
        if (ready.isEmpty() && !loop.stopping) {
            long wait = Long.MAX_VALUE;
            while (timers.first() instanceof TimerHandle head && head.cancelled()) {
                timers.poll(); // cancelled from another thread
            }
            if (!timers.isEmpty()) {
                wait = Durations.nanosUntil(timers.firstWhen(), EventLoop.now());
            }
            if (wait > 0) {
                idleWait(wait);
                drainInbox();
            }
        }
        collectDueTimers();
        for (stepsLeft = ready.size(); stepsLeft > 0; ) {
            stepsLeft--;
            Object item = ready.poll();
            // Nothing unless a JFR recording enables it; and no event at all while the recorder has
            // not been set up, which loading an event class would do, at ~0.2 s of CPU.
            LoopStepEvent event = FlightRecorder.isInitialized() ? new LoopStepEvent() : null;
            if (event != null) {
                event.begin();
            }
            if (loop.debug) {
                loop.runTimed(item);
            } else {
                runItem(item);
            }
            if (event != null) {
                event.end();
                if (event.shouldCommit()) {
                    event.loop = loop.toString();
                    event.step = describeStep(item);
                    event.commit();
                }
            }
        }
    }

    String describeStep(Object item) {
        return item instanceof Handle || item instanceof Task ? item.toString() : String.valueOf(loop.turn.lastTask());
    }

    /** Runs an item of the ready queue: a callback, a sleeping task whose timer came due, or a task's step. */
    void runItem(Object item) {
        if (item instanceof Handle handle) {
            handle.run();
        } else if (item instanceof Task<?> sleeper) {
            sleeper.wakeFromTimer();
        } else {
            loop.scheduler.runStep((Runnable) item);
        }
    }

    private void collectDueTimers() {
        long end = EventLoop.now();
        while (!timers.isEmpty() && timers.firstWhen() <= end) {
            Object due = timers.poll();
            if (due instanceof TimerHandle timer) {
                if (!timer.cancelled()) { // or it was cancelled from another thread
                    ready.add(timer);
                }
            } else {
                Task<?> sleeper = (Task<?>) due;
                sleeper.timerIndex = Task.TIMER_DUE;
                ready.add(sleeper); // to be woken: no object made, a million sleepers waking at once
            }
        }
    }

    /**
     * For the holder of the turn at a turn's end (a handoff task passing the turn on): begins the
     * next turn as {@link #runOnce} would, if that needs no waiting — arrivals and due timers
     * join the ready queue, and the new turn runs what is ready now. False, and nothing begun,
     * when the driver must do it: nothing is ready (it waits), the loop is stopping, or debug
     * mode times the steps.
     */
    boolean beginTurnWithoutWaiting() {
        if (loop.stopping || loop.debug) {
            return false;
        }
        drainInbox();
        collectDueTimers();
        if (ready.isEmpty()) {
            return false;
        }
        stepsLeft = ready.size();
        return true;
    }

    private void drainInbox() {
        TimerHandle cancelled;
        while ((cancelled = cancelledElsewhere.poll()) != null) {
            timers.remove(cancelled);
        }
        Object item;
        while ((item = inbox.poll()) != null) {
            ready.add(item);
        }
    }

    /** Parks the driver until {@code nanos} pass, another thread sends something, or stop() is called. */
    private void idleWait(long nanos) {
        idleWait(nanos, true);
    }

    private void idleWait(long nanos, boolean untilStopped) {
        idle = true;
        try {
            if (inbox.isEmpty() && !(untilStopped && loop.stopping)) {
                if (nanos == Long.MAX_VALUE) {
                    LockSupport.park(loop);
                } else {
                    LockSupport.parkNanos(loop, nanos);
                }
            }
        } finally {
            idle = false;
        }
        if (Thread.interrupted()) { // an interrupt only wakes the loop; it must not make the next park spin
            driverInterrupted = true; // but the thread that called run() gets it back when run() returns
        }
    }

    /** Adds an item from a thread that does not hold the turn, waking the driver if it sleeps. */
    void submitForeign(Object item) {
        inbox.add(item);
        wakeDriver();
    }

    /**
     * Takes the next item another thread sends, waiting for it: for the carrier strategy while a
     * coroutine blocked outside the loop holds the turn, when nothing else may run.
     */
    Object awaitForeign() {
        Object item;
        while ((item = inbox.poll()) == null) {
            idleWait(Long.MAX_VALUE, false); // a stop() waits for the blocked coroutine, as in Python
        }
        return item;
    }

    void wakeDriver() {
        Thread d = loop.driver;
        if (idle && d != null) {
            LockSupport.unpark(d);
        }
    }

    /** Adds an item to run this turn or next, from the holder of the turn or the user of a stopped loop. */
    void schedule(Object item) {
        if (loop.turn.heldByCaller()) {
            ready.add(item);
        } else {
            submitForeign(item); // the loop is not running: keep the order of everything sent before it runs
        }
    }

    /** Drops everything queued: the loop is closing. */
    void clear() {
        ready.clear();
        timers.clear();
        inbox.clear();
        cancelledElsewhere.clear();
    }
}

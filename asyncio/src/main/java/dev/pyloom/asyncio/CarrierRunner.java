package dev.pyloom.asyncio;

import dev.pyloom.asyncio.internal.CarrierThreads;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;

/**
 * The carrier strategy: the loop is the scheduler of its coroutines' virtual threads.
 *
 * <p>Each coroutine runs on a virtual thread built with this runner as its scheduler. When the
 * JDK starts or unparks such a thread it hands this runner the thread's continuation, a
 * {@code Runnable}, and the runner puts it in the loop's ready queue. When the loop reaches it,
 * the driver calls it: the virtual thread mounts on the driver, runs until it parks at its next
 * await point, and the call returns. The driver is the only carrier these threads ever have, so
 * at most one of them runs at a time, and a switch is a continuation yield.
 *
 * <p>A coroutine may also park somewhere the loop does not know about: a blocking JDK call,
 * {@code Thread.sleep}, a {@code java.util.concurrent} lock. Python's loop would be stuck in that
 * call, and so is this one: the driver then runs nothing else until that coroutine's
 * continuation comes back (see {@link #holdWhileBlocked}).
 */
final class CarrierRunner implements Runner, Executor {

    private final EventLoop loop;
    private final Thread.Builder.OfVirtual threads;
    /*
     * The task whose thread start() is starting, and the thread calling start(): the JDK hands
     * over the new thread's continuation from inside start(), on that thread. Only that thread
     * can read its own identity in starter, so no other thread's execute() mistakes its
     * continuation for the new task's.
     */
    private Task<?> starting;
    private Thread starter;
    /** The task that holds the loop while blocked outside it; only written by the driver. */
    private volatile Task<?> holding;
    /*
     * The continuations of the loop's live tasks. The JDK gives a virtual thread its creator's
     * scheduler: a thread that a coroutine starts itself (an executor's, a library's) would have
     * this loop as its scheduler too, and could never run while that coroutine blocks waiting
     * for it. Continuations not in this set go to the JDK's scheduler, as under handoff.
     */
    private final java.util.Set<Runnable> steps = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Executor jdkScheduler = CarrierThreads.defaultScheduler();

    CarrierRunner(EventLoop loop) {
        this.loop = loop;
        this.threads = CarrierThreads.builder(this);
    }

    /**
     * Called by the JDK with a coroutine's continuation, when its thread starts or is unparked.
     * From the holder of the turn (a coroutine unparking another, the driver running a callback)
     * it goes straight to the ready queue; from any other thread, and while a blocked coroutine
     * holds the loop (when even the driver may hand one over, as the JDK finishes a timed park),
     * through the inbox, where the hold loop looks for it.
     */
    @Override
    public void execute(Runnable continuation) {
        Thread caller = Thread.currentThread();
        if (caller == starter) {
            starting.step = continuation; // the same Runnable every time this thread is scheduled
            steps.add(continuation);
        } else if (jdkScheduler != null && !steps.contains(continuation)) {
            jdkScheduler.execute(continuation); // not a coroutine of this loop's
            return;
        }
        if (holding == null && (caller == loop.owner || caller == loop.driver)) {
            loop.ready.add(continuation);
        } else {
            loop.submitForeign(continuation);
        }
    }

    @Override
    public boolean needsOwnDriver(Thread caller) {
        return caller.isVirtual(); // a virtual thread cannot be a carrier
    }

    @Override
    public Thread newDriver(Runnable dispatch) {
        return Thread.ofPlatform().name("pyloom-asyncio-loop").unstarted(dispatch);
    }

    @Override
    public void driverStarted(Thread driver) {}

    @Override
    public void start(Task<?> task) {
        Thread thread = threads.unstarted(task::runCoroutine);
        task.thread = thread;
        starting = task;
        starter = Thread.currentThread();
        try {
            thread.start(); // the JDK calls execute() with the continuation, before start() returns
        } finally {
            starting = null;
            starter = null;
        }
    }

    @Override
    public void wake(Task<?> task) {
        LockSupport.unpark(task.thread); // the JDK calls execute(), which queues the continuation
    }

    @Override
    public void suspend(Task<?> task) {
        loop.currentTask = null; // tells the driver this park is an await point
        boolean interrupted = Thread.interrupted(); // an interrupt would make park() return at once, forever
        LockSupport.park(task);
        resumed(task, interrupted);
    }

    @Override
    public void yieldNow(Task<?> task) {
        loop.currentTask = null;
        boolean interrupted = Thread.interrupted();
        Thread.yield(); // the JDK hands the continuation to execute() and unmounts the thread
        resumed(task, interrupted);
    }

    private void resumed(Task<?> task, boolean interrupted) {
        // Whatever made park() return, this thread is mounted on the driver again: it holds the turn.
        loop.owner = Thread.currentThread();
        loop.currentTask = task;
        loop.lastTask = task;
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void finished(Task<?> task) {
        loop.currentTask = null;
        if (task.step != null) {
            steps.remove(task.step);
        }
    }

    @Override
    public void run(Object item) {
        if (item instanceof Handle handle) {
            handle.run();
            return;
        }
        ((Runnable) item).run(); // a coroutine's continuation: returns when its thread parks or ends
        Task<?> blocked = loop.currentTask;
        if (blocked != null) {
            holdWhileBlocked(blocked);
        }
        loop.owner = loop.driver;
    }

    /*
     * The coroutine parked without going through an await point: it is blocked in a JDK call and,
     * as in Python, still holds the loop. Until it reaches an await point or ends:
     * - run nothing of the loop's; only its own continuation, when it comes back (from another
     *   thread, or, once, from the driver itself before the hold began);
     * - keep everything else other threads send, in order, for when the loop resumes.
     */
    private void holdWhileBlocked(Task<?> task) {
        ArrayDeque<Object> later = new ArrayDeque<>();
        holding = task;
        // The JDK may have handed the continuation back already, from this very thread, while
        // the park was still being finished (a timed park that expired at once, an unpark that
        // raced with it): then it went to the ready queue, before holding was set.
        boolean resubmitted = loop.ready.removeLastOccurrence(task.step);
        while (loop.currentTask == task) {
            Object item = resubmitted ? task.step : loop.awaitForeign();
            resubmitted = false;
            if (item == task.step) {
                ((Runnable) item).run();
            } else {
                later.add(item);
            }
        }
        holding = null;
        loop.ready.addAll(later);
    }
}

package dev.pyloom.asyncio;

import dev.pyloom.asyncio.internal.CarrierThreads;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;

/**
 * The carrier strategy: the loop is the scheduler of its coroutines' virtual threads.
 *
 * <p>Each coroutine runs on a virtual thread whose scheduler ({@link TaskThread}) belongs to
 * the scheduler. When the JDK starts or unparks such a thread it hands that scheduler the thread's
 * continuation, a {@code Runnable}, and the scheduler puts it in the loop's ready queue. When the loop reaches it,
 * the driver calls it: the virtual thread mounts on the driver, runs until it parks at its next
 * await point, and the call returns. The driver is the only carrier these threads ever have, so
 * at most one of them runs at a time, and a switch is a continuation yield.
 *
 * <p>A coroutine may also park somewhere the loop does not know about: a blocking JDK call,
 * {@code Thread.sleep}, a {@code java.util.concurrent} lock. Python's loop would be stuck in that
 * call, and so is this one: the driver then runs nothing else until that coroutine's
 * continuation comes back (see {@link #holdWhileBlocked}).
 */
final class CarrierScheduler implements TaskScheduler {

    private final EventLoop loop;
    /** The task that holds the loop while blocked outside it; only written by the driver. */
    private volatile Task<?> holding;
    private final Executor jdkScheduler = CarrierThreads.defaultScheduler();

    CarrierScheduler(EventLoop loop) {
        this.loop = loop;
    }

    /**
     * A task's virtual thread: its body, and its scheduler. Each task's thread has a scheduler of
     * its own because the JDK gives a virtual thread its creator's scheduler: a thread that a
     * coroutine starts itself (an executor's, a library's) gets this one too, and must not run on
     * the loop, where it could never run while that coroutine blocks waiting for it. The first
     * continuation a scheduler is handed is its task's (its thread's start() hands it over before
     * the coroutine can start anything); any other goes to the JDK's scheduler, as under handoff.
     * One small object per task, where a set of the tasks' continuations cost three times as much.
     */
    private final class TaskThread extends TaskBody implements Executor {

        TaskThread(Task<?> task) {
            super(task);
        }

        @Override
        public void execute(Runnable continuation) {
            if (task.step == null) {
                task.step = continuation; // the same Runnable every time this thread is scheduled
            } else if (continuation != task.step && jdkScheduler != null) {
                jdkScheduler.execute(continuation); // a thread the coroutine started
                return;
            }
            schedule(continuation);
        }
    }

    /**
     * Called by the JDK, through the task's {@link TaskThread}, with a coroutine's continuation,
     * when its thread starts or is unparked. From the holder of the turn (a coroutine unparking
     * another, the driver running a callback) it goes straight to the ready queue; from any other
     * thread, and while a blocked coroutine holds the loop (when even the driver may hand one
     * over, as the JDK finishes a timed park), through the inbox, where the hold loop looks for it.
     */
    private void schedule(Runnable continuation) {
        Thread caller = Thread.currentThread();
        if (holding == null && (caller == loop.turn.holder() || caller == loop.driver)) {
            loop.dispatcher.ready.add(continuation);
        } else {
            loop.dispatcher.submitForeign(continuation);
        }
    }

    /*
     * Always a helper: a virtual thread cannot be a carrier, and a platform thread that called
     * run() would lose its interrupts by carrying (the JDK clears a carrier's interrupt status
     * each time a virtual thread unmounts from it). The caller waits for the helper, and keeps
     * an interrupt for when run() returns, as under handoff.
     */
    @Override
    public boolean needsOwnDriver(Thread caller) {
        return true;
    }

    @Override
    public Thread newDriver(Runnable dispatch) {
        return Thread.ofPlatform().name("pyloom-asyncio-loop").unstarted(dispatch);
    }

    @Override
    public void driverStarted(Thread driver) {}

    @Override
    public void start(Task<?> task) {
        TaskThread body = new TaskThread(task);
        Thread thread = CarrierThreads.builder(body).unstarted(body);
        task.thread = thread;
        thread.start(); // the JDK hands body.execute() the continuation before start() returns
    }

    @Override
    public void wake(Task<?> task) {
        LockSupport.unpark(task.thread); // the JDK calls execute(), which queues the continuation
    }

    @Override
    public void suspend(Task<?> task) {
        loop.turn.taskLeaves(); // tells the driver this park is an await point
        boolean interrupted = Thread.interrupted(); // an interrupt would make park() return at once, forever
        LockSupport.park(task);
        resumed(task, interrupted);
    }

    @Override
    public void yieldNow(Task<?> task) {
        loop.turn.taskLeaves();
        boolean interrupted = Thread.interrupted();
        Thread.yield(); // the JDK hands the continuation to execute() and unmounts the thread
        resumed(task, interrupted);
    }

    private void resumed(Task<?> task, boolean interrupted) {
        // Whatever made park() return, this thread is mounted on the driver again: it holds the turn.
        loop.turn.toTask(task, Thread.currentThread());
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void finished(Task<?> task) {
        loop.turn.taskLeaves();
    }

    @Override
    public void runStep(Runnable continuation) {
        continuation.run(); // returns when the coroutine's thread parks or ends
        Task<?> blocked = loop.turn.task();
        if (blocked != null) {
            holdWhileBlocked(blocked);
        }
        loop.turn.toDriver(loop.driver);
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
        boolean resubmitted = loop.dispatcher.ready.removeLastOccurrence(task.step);
        while (loop.turn.task() == task) {
            Object item = resubmitted ? task.step : loop.dispatcher.awaitForeign();
            resubmitted = false;
            if (item == task.step) {
                ((Runnable) item).run();
            } else {
                later.add(item);
            }
        }
        holding = null;
        loop.dispatcher.ready.addAll(later);
    }
}

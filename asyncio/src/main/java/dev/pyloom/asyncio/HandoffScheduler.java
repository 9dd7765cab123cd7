package dev.pyloom.asyncio;

import dev.pyloom.asyncio.internal.CarrierThreads;
import dev.pyloom.asyncio.internal.Turn;
import java.util.concurrent.locks.LockSupport;

/**
 * The handoff strategy: coroutines are ordinary virtual threads, and the loop's single turn is
 * passed between them and the driver.
 *
 * <p>The driver (itself a virtual thread, so that every hand-off stays on the JDK's
 * virtual-thread scheduler) resumes a task by granting it the turn and parking until the turn
 * comes back, at the task's next await point or end. Only the holder of the turn runs, so the
 * guarantee is the same as the carrier strategy's. A task costs this scheduler one object, its
 * {@link TaskBody}, which is both its item in the ready queue and its thread's body; the task
 * carries its own turn's flag ({@link Task#granted}).
 *
 * <p>A task giving the turn up passes it straight to the next item of the turn when that is
 * another task's step: one hand-off instead of two (to the driver, and from it). The turn's
 * count of items left ({@link Dispatcher#stepsLeft}) goes down as if the driver had run it, so the
 * turn still runs exactly what was ready when it began. At a turn's end the task begins the
 * next turn itself when that needs no waiting ({@link Dispatcher#beginTurnWithoutWaiting}), so
 * two coroutines passing messages back and forth never go through the driver. Callbacks,
 * waiting for arrivals or timers, stopping and debug mode's timed steps stay the driver's.
 */
final class HandoffScheduler implements TaskScheduler {

    private final EventLoop loop;
    private final Turn driverTurn = new Turn();
    /** Ordinary virtual threads (see CarrierThreads.ordinary()); a factory is thread-safe, a builder is not. */
    private static final java.util.concurrent.ThreadFactory THREADS = CarrierThreads.ordinary().factory();

    HandoffScheduler(EventLoop loop) {
        this.loop = loop;
    }

    @Override
    public boolean needsOwnDriver(Thread caller) {
        return !caller.isVirtual();
    }

    @Override
    public Thread newDriver(Runnable dispatch) {
        Thread driver = THREADS.newThread(dispatch);
        driver.setName("pyloom-asyncio-loop");
        return driver;
    }

    @Override
    public void driverStarted(Thread driver) {
        driverTurn.setOwner(driver);
    }

    /** A task's step in the ready queue is its thread's body. */
    @Override
    public void start(Task<?> task) {
        task.step = new TaskBody(task);
        loop.dispatcher.ready.add(task.step);
    }

    @Override
    public void wake(Task<?> task) {
        loop.dispatcher.ready.add(task.step);
    }

    /** On the driver: lets the task run until the turn comes back. */
    private void resume(Task<?> task) {
        handTo(task);
        driverTurn.await();
    }

    /** Gives the turn to a task, from the driver or from the task giving it up. */
    private void handTo(Task<?> task) {
        if (task.thread == null) {
            // The thread starts on its first step, holding the turn from its first instruction.
            Thread thread = THREADS.newThread(task.step);
            task.thread = thread;
            loop.turn.toTask(task, thread);
            thread.start();
        } else {
            loop.turn.toTask(task, task.thread);
            task.granted = true;
            LockSupport.unpark(task.thread);
        }
    }

    /*
     * Passes the turn on, then waits for it as Turn.await() does, on the task's own flag, written
     * out rather than called, and with park() rather than park(blocker): so that C2 inlines the
     * whole path into the thread's entry and a suspended task keeps one frame in its stack chunk,
     * not two (INTERNALS.md, "A sleeping task's bytes"; benchmarks' sleepers/handoff measures it).
     */
    @Override
    public void suspend(Task<?> task) {
        passOn(task);
        boolean interrupted = false;
        while (!task.granted) {
            LockSupport.park();
            if (Thread.interrupted()) {
                interrupted = true;
            }
        }
        task.granted = false;
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        // whoever granted the turn passed it to this task first (LoopTurn.toTask)
    }

    /*
     * The task gives the turn up: to the next item of this turn, if that is another task's step
     * (starting its thread, if it is its first); otherwise back to the driver.
     */
    private void passOn(Task<?> task) {
        // Something of this turn is left, or the next turn could begin without waiting (debug
        // mode times every step on the driver, so it always gives the turn back).
        boolean more = loop.dispatcher.stepsLeft > 0 ? !loop.getDebug() : loop.dispatcher.beginTurnWithoutWaiting();
        if (more && loop.dispatcher.ready.peekFirst() instanceof TaskBody next && next.task != task) {
            loop.dispatcher.stepsLeft--;
            loop.dispatcher.ready.pollFirst();
            handTo(next.task);
        } else {
            giveBack();
        }
    }

    @Override
    public void yieldNow(Task<?> task) {
        wake(task);
        suspend(task);
    }

    @Override
    public void finished(Task<?> task) {
        passOn(task);
    }

    private void giveBack() {
        loop.turn.toDriver(driverTurn.owner());
        driverTurn.grant();
    }

    @Override
    public void runStep(Runnable step) {
        resume(((TaskBody) step).task);
    }
}

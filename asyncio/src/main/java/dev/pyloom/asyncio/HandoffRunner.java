package dev.pyloom.asyncio;

import dev.pyloom.asyncio.internal.CarrierThreads;
import dev.pyloom.asyncio.internal.Turn;

/**
 * The handoff strategy: coroutines are ordinary virtual threads, and the loop's single turn is
 * passed between them and the driver.
 *
 * <p>The driver (itself a virtual thread, so that every hand-off stays on the JDK's
 * virtual-thread scheduler) resumes a task by granting it the turn and parking until the task
 * grants it back, at the task's next await point or end. Only the holder of the turn runs, so the
 * guarantee is the same as the carrier strategy's; each switch costs two park/unpark hand-offs.
 */
final class HandoffRunner implements Runner {

    private final EventLoop loop;
    private final Turn driverTurn = new Turn();
    /** Ordinary virtual threads (see CarrierThreads.ordinary()); a factory is thread-safe, a builder is not. */
    private static final java.util.concurrent.ThreadFactory THREADS = CarrierThreads.ordinary().factory();

    HandoffRunner(EventLoop loop) {
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

    @Override
    public void start(Task<?> task) {
        task.turn = new Turn();
        task.step = () -> resume(task);
        loop.ready.add(task.step);
    }

    @Override
    public void wake(Task<?> task) {
        loop.ready.add(task.step);
    }

    /** On the driver: lets the task run until it gives the turn back. */
    private void resume(Task<?> task) {
        loop.currentTask = task;
        loop.lastTask = task;
        if (task.thread == null) {
            // The thread starts on its first step, holding the turn from its first instruction.
            Thread thread = THREADS.newThread(task::runCoroutine);
            task.thread = thread;
            task.turn.setOwner(thread);
            loop.owner = thread;
            thread.start();
        } else {
            loop.owner = task.thread;
            task.turn.grant();
        }
        driverTurn.await();
    }

    @Override
    public void suspend(Task<?> task) {
        giveBack();
        task.turn.await();
        // resume() set owner and currentTask before granting the turn
    }

    @Override
    public void yieldNow(Task<?> task) {
        wake(task);
        suspend(task);
    }

    @Override
    public void finished(Task<?> task) {
        giveBack();
    }

    private void giveBack() {
        loop.currentTask = null;
        loop.owner = driverTurn.owner();
        driverTurn.grant();
    }

    @Override
    public void run(Object item) {
        if (item instanceof Handle handle) {
            handle.run();
        } else {
            ((Runnable) item).run();
        }
    }
}

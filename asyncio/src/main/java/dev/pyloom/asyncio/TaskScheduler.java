package dev.pyloom.asyncio;

/**
 * The part of an {@link EventLoop} that differs between the two {@link Strategy strategies}: how a
 * coroutine's thread is made ready, how it gives the loop back, and which thread drives the loop.
 * Everything else (the ready queue, timers, futures, cancellation) is shared. Who holds the turn
 * is {@link LoopTurn}'s to say: a scheduler passes it only through that class's methods.
 *
 * <p>Every method but {@link #needsOwnDriver} and {@link #newDriver} is called by the thread
 * holding the loop's turn.
 */
sealed interface TaskScheduler permits CarrierScheduler, HandoffScheduler {

    /** Whether {@code caller} cannot drive the loop itself and must hand the job to {@link #newDriver}. */
    boolean needsOwnDriver(Thread caller);

    /** An unstarted thread that will drive the loop by running {@code dispatch}. */
    Thread newDriver(Runnable dispatch);

    /** Called on the driver when it starts driving. */
    void driverStarted(Thread driver);

    /** Schedules the first step of a new task: its thread will start when the loop reaches it. */
    void start(Task<?> task);

    /** Schedules the next step of a suspended task, at the back of the ready queue. */
    void wake(Task<?> task);

    /** On the task's own thread: gives the loop back and returns when the task is resumed. */
    void suspend(Task<?> task);

    /** On the task's own thread: goes to the back of the ready queue and returns when resumed. */
    void yieldNow(Task<?> task);

    /** On the task's own thread, as its coroutine ends: gives the loop back for good. */
    void finished(Task<?> task);

    /** On the driver: runs a task's step, an item of the ready queue ({@link Task#step}). */
    void runStep(Runnable step);
}

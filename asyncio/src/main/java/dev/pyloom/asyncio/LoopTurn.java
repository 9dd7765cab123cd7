package dev.pyloom.asyncio;

/**
 * Who runs now: the one place that says which thread holds an event loop's single turn, and which
 * task's coroutine, if any, runs on it. The loop's driver, a task's thread and the two
 * {@link TaskScheduler schedulers} pass the turn only through these methods.
 *
 * <pre>
 *   nobody ──driverStarts──► driver ──toTask──► a task's thread ──taskLeaves (an await point, the end)
 *     ▲                        ▲                      │       └──toTask──► another task's thread (handoff)
 *     └────driverStops─────────┴───────toDriver───────┘
 * </pre>
 *
 * <p>Every method is called by the thread that holds the turn, or by the one taking it as it is
 * handed over (with a happens-before edge from the giver: an unpark, a continuation handed to
 * the carrier).
 */
final class LoopTurn {

    /*
     * The thread holding the turn: the driver while it runs callbacks, a task's thread while its
     * coroutine runs, null while the loop is not running. Compared by readers only against
     * themselves: a thread that does not hold the turn can never read its own identity here,
     * whatever stale value it sees, so no thread can mistake itself for the holder.
     */
    private Thread holder;
    /** The task whose coroutine is running now, or null while a callback runs or nothing does. */
    private Task<?> task;
    /** The last task that took the turn: debug mode's name for a slow step. */
    private Task<?> lastTask;

    /** The driver starts running the loop, holding the turn. */
    void driverStarts(Thread driver) {
        toDriver(driver);
    }

    /** The driver stops: nobody holds the turn. */
    void driverStops() {
        holder = null;
        task = null;
    }

    /** {@code task}'s coroutine runs on {@code thread} from now on. */
    void toTask(Task<?> task, Thread thread) {
        holder = thread;
        this.task = task;
        lastTask = task;
    }

    /** The driver takes the turn back (a task gave it up, or a callback is next). */
    void toDriver(Thread driver) {
        holder = driver;
        task = null;
    }

    /**
     * The running coroutine reached an await point or ended: its thread still holds the turn until
     * it parks or finishes, but no coroutine is running. (The carrier driver reads a task still
     * here after its thread parked as a coroutine blocked outside the loop.)
     */
    void taskLeaves() {
        task = null;
    }

    /** Whether the calling thread holds the turn. */
    boolean heldByCaller() {
        return holder == Thread.currentThread();
    }

    /** The holder; racy from any other thread, and only fit for a diagnostic there. */
    Thread holder() {
        return holder;
    }

    /** The task whose coroutine runs now, or null. */
    Task<?> task() {
        return task;
    }

    /** The last task that took the turn. */
    Task<?> lastTask() {
        return lastTask;
    }
}

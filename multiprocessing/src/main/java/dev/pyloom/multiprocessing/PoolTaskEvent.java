package dev.pyloom.multiprocessing;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * A JFR event for each job of a pool (an {@code apply}, or one chunk of a {@code map}) when it
 * finishes: which task, in which worker, how long it waited in the queue and ran, and how it
 * ended. Committed on the pool's own thread as the outcome arrives, so it carries no stack trace.
 * Recorded with {@code -XX:StartFlightRecording} or a {@code jdk.jfr.Recording} that enables
 * {@value #NAME}.
 */
@Name(PoolTaskEvent.NAME)
@Label("Pool Task")
@Category({"pyloom", "multiprocessing"})
@Description("A task (or a chunk of a map) of a pyloom Pool, from its submission to its outcome")
@StackTrace(false)
final class PoolTaskEvent extends jdk.jfr.Event {

    static final String NAME = "dev.pyloom.PoolTask";

    @Label("Pool")
    String pool;

    @Label("Task")
    @Description("The task's method, and the job's number in its pool")
    String task;

    @Label("Calls")
    @Description("How many calls the job made: 1 for an apply, the chunk's size for a map")
    int calls;

    @Label("Worker")
    @Description("The worker process that ran it, or null if none did")
    String worker;

    @Label("Queued")
    @Description("From submission until a worker started it (or until it ended, if none did)")
    @Timespan(Timespan.NANOSECONDS)
    long queued;

    @Label("Ran")
    @Description("From when its worker started it until its outcome arrived")
    @Timespan(Timespan.NANOSECONDS)
    long ran;

    @Label("Outcome")
    @Description("\"success\", or the exception it failed with (a task's, a dead worker's, a cancellation)")
    String outcome;
}

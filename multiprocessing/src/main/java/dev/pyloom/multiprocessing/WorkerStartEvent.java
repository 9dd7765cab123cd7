package dev.pyloom.multiprocessing;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A JFR event for each worker JVM a pool starts: its duration is from the launch until the worker
 * has connected back, ready for tasks (its initializer, if any, included).
 */
@Name(WorkerStartEvent.NAME)
@Label("Pool Worker Start")
@Category({"pyloom", "multiprocessing"})
@Description("A pyloom Pool's worker JVM, from its launch until it connected back ready for tasks")
@StackTrace(false)
final class WorkerStartEvent extends jdk.jfr.Event {

    static final String NAME = "dev.pyloom.WorkerStart";

    @Label("Pool")
    String pool;

    @Label("Worker")
    String worker;

    @Label("Process Id")
    long pid;

    @Label("Class-Data Archive")
    @Description("Whether the worker started from pyloom's class-data archive")
    boolean archive;

    @Label("Ready")
    @Description("Whether it connected back; false if it failed or was stopped while starting")
    boolean ready;
}

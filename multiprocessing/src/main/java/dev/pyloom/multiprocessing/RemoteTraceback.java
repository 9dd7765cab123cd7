package dev.pyloom.multiprocessing;

/**
 * Where an exception from another process was really thrown: the cause of the re-created
 * exception, with the other process's stack trace as its own. Python's
 * {@code multiprocessing.pool.RemoteTraceback}.
 *
 * <pre>
 * java.lang.IllegalArgumentException: bad input
 *     at ...(the parent, where the result arrived)
 * Caused by: dev.pyloom.multiprocessing.RemoteTraceback: thrown in PoolWorker-2 (pid 4242)
 *     at com.example.Tasks.parse(Tasks.java:12)      &lt;- the worker's frames
 * </pre>
 */
public final class RemoteTraceback extends Exception {

    private static final long serialVersionUID = 1L;

    RemoteTraceback(String where, StackTraceElement[] remoteTrace, Throwable remoteCause) {
        super("thrown in " + where, remoteCause);
        setStackTrace(remoteTrace);
    }
}

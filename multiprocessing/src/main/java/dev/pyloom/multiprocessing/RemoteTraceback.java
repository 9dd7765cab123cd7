package dev.pyloom.multiprocessing;

import dev.pyloom.multiprocessing.internal.Failure;

/**
 * Where an exception from another process was really thrown: the cause of the re-created
 * exception, with the other process's stack trace as its own. Python's
 * {@code multiprocessing.pool.RemoteTraceback}.
 *
 * <pre>
 * java.lang.IllegalArgumentException: bad input
 *     at dev.pyloom.multiprocessing.Pool.apply(Pool.java:213)
 *     at com.example.Main.main(Main.java:9)        &lt;- where the caller waited for the result
 * Caused by: dev.pyloom.multiprocessing.RemoteTraceback: thrown in PoolWorker-2 (pid 4242)
 *     at com.example.Tasks.parse(Tasks.java:12)      &lt;- the worker's frames
 * </pre>
 *
 * <p>Its message also carries the original message when the re-created exception could not (its
 * type has no constructor that takes one).
 */
public final class RemoteTraceback extends Exception {

    private static final long serialVersionUID = 1L;

    private final String where;
    private final transient Failure failure;
    private volatile boolean messageShownAbove = true;

    RemoteTraceback(String where, Failure failure, StackTraceElement[] remoteTrace, Throwable remoteCause) {
        super("thrown in " + where, remoteCause);
        this.where = where;
        this.failure = failure;
        setStackTrace(remoteTrace);
    }

    @Override
    public String getMessage() {
        return messageShownAbove || failure == null || failure.message() == null ? super.getMessage()
                : super.getMessage() + ": " + failure.message();
    }

    /** The re-created exception does not carry the original message: this one says it. */
    void showMessage() {
        messageShownAbove = false;
    }

    String where() {
        return where;
    }

    /** What the other process sent, to re-create the exception again; null once deserialized. */
    Failure failure() {
        return failure;
    }
}

package dev.pyloom.multiprocessing;

/**
 * The worker running a task died before finishing it: killed, out of memory, or a task that
 * called {@code System.exit}. Only the task it was running fails; the pool starts a replacement
 * worker and goes on. (CPython's Pool waits forever in this case.) The message ends with the
 * worker's last lines on standard error, where the JVM says why it ended, if it did.
 */
public final class WorkerDiedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String workerName;
    private final long pid;
    private final int exitCode;

    WorkerDiedException(String workerName, long pid, int exitCode, String task, String lastWords) {
        super("worker " + workerName + " (pid " + pid + ") exited with code " + exitCode
                + (task == null ? "" : " while running " + task) + "." + lastWords);
        this.workerName = workerName;
        this.pid = pid;
        this.exitCode = exitCode;
    }

    /** The worker's name, e.g. {@code PoolWorker-3}. */
    public String workerName() {
        return workerName;
    }

    /** The worker's process id. */
    public long pid() {
        return pid;
    }

    /** Its exit code, negative for a signal as Python reports it ({@code -9} for SIGKILL). */
    public int exitCode() {
        return exitCode;
    }
}

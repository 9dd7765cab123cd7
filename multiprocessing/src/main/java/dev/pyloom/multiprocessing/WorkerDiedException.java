package dev.pyloom.multiprocessing;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /** How the message begins: the worker, its pid, its exit code. */
    private static final Pattern HEAD = Pattern.compile("^worker (\\S+) \\(pid (\\d+)\\) exited with code (-?\\d+)");

    WorkerDiedException(String workerName, long pid, int exitCode, String task, String lastWords) {
        this("worker " + workerName + " (pid " + pid + ") exited with code " + exitCode
                + (task == null ? "" : " while running " + task) + "." + lastWords, workerName, pid, exitCode);
    }

    private WorkerDiedException(String message, String workerName, long pid, int exitCode) {
        super(message);
        this.workerName = workerName;
        this.pid = pid;
        this.exitCode = exitCode;
    }

    /**
     * The death another machine's pool reported with {@code message} (its pool ran the job for
     * this one, as pyloom-cluster's nodes do), the message saying where: {@code where}. Null if the
     * message is not one this class wrote.
     */
    static WorkerDiedException relayed(String message, String where) {
        Matcher head = message == null ? null : HEAD.matcher(message);
        if (head == null || !head.find()) {
            return null;
        }
        String located = message.substring(0, head.end(2) + 1) + " on " + where + message.substring(head.end(2) + 1);
        try {
            return new WorkerDiedException(located, head.group(1), Long.parseLong(head.group(2)),
                    Integer.parseInt(head.group(3)));
        } catch (NumberFormatException notOurs) {
            return null;
        }
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

package dev.pyloom.multiprocessing.internal;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A pool worker's side of {@code AsyncResult.cancel(true)}: the parent writes
 * {@code interrupt <job id>} on the worker's standard input, and the job, if it is running,
 * has its thread interrupted; if it was sent ahead and has not started, it never starts. A job
 * that has finished is not affected. The parent kills a worker whose job does not end within a
 * grace period after the interrupt.
 *
 * <p>Jobs run one at a time on the worker's main thread, in the order sent (not always that of
 * their ids).
 */
public final class Interrupts {

    /** The command the parent writes, followed by the job's id and a newline. */
    public static final String COMMAND = "interrupt ";

    /* How many ids each set below keeps: far more than a worker ever has in flight. */
    private static final int REMEMBERED = 1024;

    private static final Object LOCK = new Object();
    private static long running = -1;       // guarded by LOCK
    private static Thread runner;           // guarded by LOCK
    // Ids need not come in order (a job put back after a worker died, a slow submission), so
    // each is remembered, the oldest forgotten first
    private static final Set<Long> STARTED = new LinkedHashSet<>();        // guarded by LOCK
    private static final Set<Long> CANCELLED_AHEAD = new LinkedHashSet<>(); // guarded by LOCK

    private Interrupts() {}

    /** A line from the parent; anything but an interrupt command is ignored. */
    static void command(String line) {
        if (!line.startsWith(COMMAND)) {
            return;
        }
        long id;
        try {
            id = Long.parseLong(line.substring(COMMAND.length()).strip());
        } catch (NumberFormatException notAnId) {
            return;
        }
        synchronized (LOCK) {
            if (id == running) {
                runner.interrupt();
            } else if (!STARTED.contains(id)) {
                remember(CANCELLED_AHEAD, id);
            }
        }
    }

    private static void remember(Set<Long> ids, long id) {
        ids.add(id);
        if (ids.size() > REMEMBERED) {
            ids.remove(ids.iterator().next());
        }
    }

    /** The calling thread is about to run job {@code id}: false if it was cancelled before it started. */
    static boolean starting(long id) {
        synchronized (LOCK) {
            remember(STARTED, id);
            if (CANCELLED_AHEAD.remove(id)) {
                return false;
            }
            running = id;
            runner = Thread.currentThread();
            return true;
        }
    }

    /** The running job has finished: an interrupt that came for it no longer reaches the thread. */
    static void finished() {
        synchronized (LOCK) {
            running = -1;
            Thread.interrupted();
        }
    }
}

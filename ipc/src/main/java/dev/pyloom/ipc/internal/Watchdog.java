package dev.pyloom.ipc.internal;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs an action unless it is cancelled before a deadline: how a blocking exchange (a handshake)
 * gets a time limit. One daemon thread for the whole process; a cancelled watch is removed at
 * once, so a flood of short exchanges leaves nothing behind.
 */
public final class Watchdog {

    private static final ScheduledThreadPoolExecutor TIMER = create();

    private Watchdog() {}

    private static ScheduledThreadPoolExecutor create() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "pyloom-ipc-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /** Runs {@code action} after {@code timeout} unless the returned watch is cancelled first. */
    public static ScheduledFuture<?> watch(Duration timeout, Runnable action) {
        return TIMER.schedule(action, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
}

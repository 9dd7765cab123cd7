package dev.pyloom.ipc.internal;

import dev.pyloom.common.ServiceThreads;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs an action unless it is cancelled before a deadline: how a blocking exchange (a handshake)
 * gets a time limit. One daemon thread for the whole process, and only while a watch is pending
 * (it ends {@link #IDLE} after the last): a thread that outlived the exchanges it served would
 * hold up a launcher that waits for the program's threads, as {@code mvn exec:java} does for
 * 15 s, and a pool's thread ignores the interrupt that asks it to end. A cancelled watch is
 * removed at once, so a flood of short exchanges leaves nothing behind.
 */
public final class Watchdog {

    static final Duration IDLE = Duration.ofMillis(200);

    private static final ScheduledThreadPoolExecutor TIMER = create();

    private Watchdog() {}

    private static ScheduledThreadPoolExecutor create() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            return ServiceThreads.daemon("pyloom-ipc-watchdog").unstarted(runnable);
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.setKeepAliveTime(IDLE.toNanos(), TimeUnit.NANOSECONDS);
        timer.allowCoreThreadTimeOut(true);
        return timer;
    }

    /** Runs {@code action} after {@code timeout} unless the returned watch is cancelled first. */
    public static ScheduledFuture<?> watch(Duration timeout, Runnable action) {
        return TIMER.schedule(action, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
}

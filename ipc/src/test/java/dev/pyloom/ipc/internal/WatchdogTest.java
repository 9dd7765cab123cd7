package dev.pyloom.ipc.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The watchdog's thread exists only while a watch is pending, so a launcher that waits for the
 * program's threads when {@code main} returns ({@code mvn exec:java}) is not held up by it.
 */
class WatchdogTest {

    @Test
    void itsThreadEndsOnceNoWatchIsPending() {
        ScheduledFuture<?> watch = Watchdog.watch(Duration.ofMinutes(1), () -> {});
        assertTrue(watchdogThreadAlive(), "a pending watch has a thread to fire it");
        watch.cancel(false);
        await().atMost(Duration.ofSeconds(10)).until(() -> !watchdogThreadAlive());
    }

    @Test
    void aWatchLongerThanTheIdleTimeStillFires() throws InterruptedException {
        CountDownLatch fired = new CountDownLatch(1);
        Watchdog.watch(Watchdog.IDLE.multipliedBy(3), fired::countDown);
        assertTrue(fired.await(30, TimeUnit.SECONDS), "the watch fired");
    }

    @Test
    void aCancelledWatchNeverFires() throws InterruptedException {
        CountDownLatch fired = new CountDownLatch(1);
        Watchdog.watch(Watchdog.IDLE, fired::countDown).cancel(false);
        CountDownLatch later = new CountDownLatch(1);
        Watchdog.watch(Watchdog.IDLE.multipliedBy(2), later::countDown);
        assertTrue(later.await(30, TimeUnit.SECONDS), "a later watch fired");
        assertFalse(fired.await(0, TimeUnit.SECONDS), "the cancelled one did not");
    }

    private static boolean watchdogThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> thread.getName().equals("pyloom-ipc-watchdog") && thread.isAlive());
    }
}

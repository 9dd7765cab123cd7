package dev.pyloom.threading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.testing.Spawned;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Timer}, CPython's {@code TimerTests}. */
class TimerTest {

    private static final Duration LONG = Duration.ofHours(1);

    @AfterEach
    void restoreExcepthook() {
        Threading.setExcepthook(Threading.defaultExcepthook());
    }

    @Test
    void runsTheFunctionAfterTheInterval() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        Timer timer = new Timer(Duration.ofMillis(5), ran::countDown);
        timer.start();
        assertTrue(ran.await(30, TimeUnit.SECONDS));
        assertTrue(timer.join(Spawned.PATIENCE));
        assertFalse(timer.isCancelled());
    }

    @Test
    void aZeroIntervalFiresAtOnce() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        Timer timer = new Timer(Duration.ZERO, runs::incrementAndGet);
        timer.start();
        timer.join();
        assertEquals(1, runs.get());
    }

    @Test
    void cancelBeforeTheIntervalEndsPreventsTheRunAndEndsTheThread() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        Timer timer = new Timer(LONG, runs::incrementAndGet);
        timer.start();
        assertTrue(timer.cancel());
        assertTrue(timer.join(Spawned.PATIENCE), "a cancelled timer's thread ends without waiting out the interval");
        assertEquals(0, runs.get());
        assertTrue(timer.isCancelled());
    }

    @Test
    void cancelBeforeStartPreventsTheRun() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        Timer timer = new Timer(Duration.ZERO, runs::incrementAndGet);
        assertTrue(timer.cancel());
        timer.start();
        timer.join();
        assertEquals(0, runs.get());
    }

    @Test
    void cancelAfterFiringReturnsFalse() throws Exception {
        Timer timer = new Timer(Duration.ZERO, () -> {});
        timer.start();
        timer.join();
        assertFalse(timer.cancel());
        assertFalse(timer.isCancelled());
    }

    @Test
    void cancellingTwiceIsHarmless() {
        Timer timer = new Timer(LONG, () -> {});
        assertTrue(timer.cancel());
        assertFalse(timer.cancel());
    }

    @Test
    void aCancelThatWinsTheRaceAlwaysMeansTheFunctionNeverRuns() throws Exception {
        // Fire and cancel as close together as we can, many times: cancel() returning true must
        // always mean "did not run", and false "ran".
        for (int i = 0; i < 500; i++) {
            AtomicInteger runs = new AtomicInteger();
            Timer timer = new Timer(Duration.ZERO, runs::incrementAndGet);
            timer.start();
            boolean stopped = timer.cancel();
            timer.join();
            assertEquals(stopped ? 0 : 1, runs.get(), "cancel() returned " + stopped);
        }
    }

    @Test
    void passesItsArguments() throws Exception {
        AtomicReference<String> got = new AtomicReference<>();
        Timer one = new Timer(Duration.ZERO, got::set, "one");
        one.start();
        one.join();
        assertEquals("one", got.get());

        Timer two = new Timer(Duration.ZERO, (String a, Integer b) -> got.set(a + b), "two", 2);
        two.start();
        two.join();
        assertEquals("two2", got.get());
    }

    @Test
    void timersDoNotShareState() throws Exception {
        // CPython once shared a mutable default between timers; here each owns everything.
        List<String> fired = new ArrayList<>();
        Timer cancelled = new Timer(Duration.ZERO, fired::add, "cancelled");
        Timer kept = new Timer(Duration.ZERO, fired::add, "kept");
        cancelled.cancel();
        cancelled.start();
        kept.start();
        cancelled.join();
        kept.join();
        assertEquals(List.of("kept"), fired);
        assertFalse(kept.isCancelled());
    }

    @Test
    void aWaitingTimerIsALiveThread() throws Exception {
        Timer timer = new Timer(LONG, () -> {});
        timer.start();
        assertTrue(timer.isAlive());
        assertTrue(Threading.enumerate().contains(timer));
        timer.cancel();
        timer.join();
        assertFalse(Threading.enumerate().contains(timer));
    }

    @Test
    void anExceptionFromTheFunctionGoesToTheExcepthook() throws Exception {
        AtomicReference<Threading.ExceptHookArgs> reported = new AtomicReference<>();
        Threading.setExcepthook(reported::set);
        IllegalStateException boom = new IllegalStateException("boom");
        Timer timer = new Timer(Duration.ZERO, () -> {
            throw boom;
        });
        timer.start();
        timer.join();
        assertEquals(boom, reported.get().exception());
        assertEquals(timer, reported.get().thread());
    }

    @Test
    void aNegativeIntervalIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Timer(Duration.ofSeconds(-1), () -> {}));
        assertThrows(NullPointerException.class, () -> new Timer(Duration.ZERO, (PyThread.Target) null));
    }

    @Test
    void reportsItsInterval() {
        assertEquals(Duration.ofSeconds(3), new Timer(Duration.ofSeconds(3), () -> {}).interval());
    }
}

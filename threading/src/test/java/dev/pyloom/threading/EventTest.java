package dev.pyloom.threading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.testing.Spawned;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Event}, CPython's {@code EventTests}. */
class EventTest {

    @Test
    void theFlagStartsDown() {
        assertFalse(new Event().isSet());
    }

    @Test
    void setRaisesAndClearLowersTheFlag() {
        Event event = new Event();
        event.set();
        assertTrue(event.isSet());
        event.set();
        assertTrue(event.isSet(), "set is idempotent");
        event.clear();
        assertFalse(event.isSet());
        event.clear();
        assertFalse(event.isSet(), "clear is idempotent");
    }

    @Test
    void awaitReturnsAtOnceWhileTheFlagIsUp() throws Exception {
        Event event = new Event();
        event.set();
        event.await();
        assertTrue(event.await(Duration.ZERO));
    }

    @Test
    void timedAwaitReturnsFalseWhenTheFlagStaysDown() throws Exception {
        Event event = new Event();
        assertFalse(event.await(Duration.ofMillis(10)));
        assertFalse(event.await(Duration.ZERO));
    }

    @Test
    void setReleasesEveryWaiter() throws Exception {
        Event event = new Event();
        List<Spawned<Boolean>> waiters = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            waiters.add(Spawned.call(() -> event.await(Spawned.PATIENCE)).awaitBlocked());
        }
        waiters.add(Spawned.call(() -> {
            event.await();
            return true;
        }).awaitBlocked());
        event.set();
        for (Spawned<Boolean> waiter : waiters) {
            assertTrue(waiter.join());
        }
    }

    @Test
    void waitersWokenBySetReturnTrueEvenIfClearFollowsAtOnce() throws Exception {
        // CPython issue 13502: clear() right after set() must not strand the woken waiters.
        Event event = new Event();
        List<Spawned<Boolean>> waiters = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            waiters.add(Spawned.call(() -> event.await(Spawned.PATIENCE)).awaitBlocked());
        }
        event.set();
        event.clear();
        for (Spawned<Boolean> waiter : waiters) {
            assertTrue(waiter.join());
        }
        assertFalse(event.isSet());
    }

    @Test
    void afterClearNewWaitersWaitForTheNextSet() throws Exception {
        Event event = new Event();
        event.set();
        event.clear();
        Spawned<Boolean> waiter = Spawned.call(() -> event.await(Spawned.PATIENCE)).awaitBlocked();
        assertFalse(waiter.isDone());
        event.set();
        assertTrue(waiter.join());
    }

    @Test
    void manyThreadsSettingAndClearingLeaveAConsistentFlag() throws Exception {
        Event event = new Event();
        List<Spawned<Void>> all = Spawned.runMany(100, () -> {
            for (int i = 0; i < 1_000; i++) {
                event.set();
                event.clear();
            }
        });
        Spawned.joinAll(all);
        assertFalse(event.isSet(), "every set was followed by a clear in the same thread");
        event.set();
        assertTrue(event.await(Duration.ZERO));
    }

    @Test
    void interruptedAwaitThrows() throws Exception {
        Event event = new Event();
        Spawned<Void> waiter = Spawned.run(event::await).awaitBlocked();
        waiter.thread().interrupt();
        assertInstanceOf(InterruptedException.class, waiter.failure());
    }

    @Test
    void aNegativeTimeoutIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Event().await(Duration.ofSeconds(-1)));
    }

    @Test
    void toStringShowsTheFlag() {
        Event event = new Event();
        assertEquals("Event[unset]", event.toString());
        event.set();
        assertEquals("Event[set]", event.toString());
    }
}

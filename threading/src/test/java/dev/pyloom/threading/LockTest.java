package dev.pyloom.threading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.testing.Spawned;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link Lock}: the lock protocol plus CPython's {@code LockTests}. */
class LockTest extends AcquirableContract<Lock> {

    @Override
    Lock newPrimitive() {
        return new Lock();
    }

    @Test
    void isNotReentrant() throws Exception {
        Lock lock = new Lock();
        lock.acquire();
        assertFalse(lock.tryAcquire(), "a second acquire by the same thread must not succeed");
        assertFalse(lock.tryAcquire(Duration.ofMillis(10)));
        lock.release();
    }

    @Test
    void anyThreadMayRelease() throws Exception {
        Lock lock = new Lock();
        lock.acquire();
        Spawned.run(lock::release).join();
        assertFalse(lock.locked());
    }

    @Test
    void releasingAnUnlockedLockThrows() {
        Lock lock = new Lock();
        IllegalStateException e = assertThrows(IllegalStateException.class, lock::release);
        assertEquals("release unlocked lock", e.getMessage());
    }

    @Test
    void releasingTwiceThrowsTheSecondTime() throws Exception {
        Lock lock = new Lock();
        lock.acquire();
        lock.release();
        assertThrows(IllegalStateException.class, lock::release);
        assertFalse(lock.locked());
    }

    @Test
    void lockedReportsTheState() throws Exception {
        Lock lock = new Lock();
        assertFalse(lock.locked());
        lock.acquire();
        assertTrue(lock.locked());
        lock.release();
        assertFalse(lock.locked());
    }

    @Test
    void aThreadBlockedOnItsOwnLockIsFreedByAnotherThread() throws Exception {
        // The binary-signal use that only an unowned lock allows (CPython's test_reacquire).
        Lock lock = new Lock();
        Spawned<Void> waiter = Spawned.run(() -> {
            lock.acquire();
            lock.acquire(); // waits for someone else to release
        }).awaitBlocked();
        lock.release();
        waiter.join();
        assertTrue(lock.locked());
    }

    @Test
    void aTimedOutAcquireLeavesTheLockAsItWas() throws Exception {
        // CPython's test_state_after_timeout.
        Lock lock = new Lock();
        lock.acquire();
        assertFalse(Spawned.call(() -> lock.tryAcquire(Duration.ofMillis(10))).join());
        lock.release();
        assertFalse(lock.locked());
        assertTrue(lock.tryAcquire());
    }

    @Test
    void waitersAreServedOneAtATime() throws Exception {
        Lock lock = new Lock();
        lock.acquire();
        Spawned<Void> first = Spawned.run(lock::acquire).awaitBlocked();
        Spawned<Void> second = Spawned.run(lock::acquire).awaitBlocked();
        lock.release();
        // Exactly one of the two gets it; the other stays blocked until the next release.
        Spawned<Void> winner = awaitEither(first, second);
        Spawned<Void> loser = winner == first ? second : first;
        assertFalse(loser.isDone());
        lock.release();
        loser.join();
    }

    @Test
    void toStringShowsTheState() throws Exception {
        Lock lock = new Lock();
        assertEquals("Lock[unlocked]", lock.toString());
        lock.acquire();
        assertTrue(lock.toString().startsWith("Lock[locked by thread #"), lock.toString());
    }

    @Test
    void interruptedWaiterDoesNotStealALaterRelease() throws Exception {
        Lock lock = new Lock();
        lock.acquire();
        Spawned<Void> interrupted = Spawned.run(lock::acquire).awaitBlocked();
        Spawned<Void> patient = Spawned.run(lock::acquire).awaitBlocked();
        interrupted.thread().interrupt();
        assertInstanceOf(InterruptedException.class, interrupted.failure());
        lock.release();
        patient.join();
        assertTrue(lock.locked());
    }

    private static Spawned<Void> awaitEither(Spawned<Void> a, Spawned<Void> b) {
        Spawned.awaitUntil(() -> a.isDone() || b.isDone());
        return a.isDone() ? a : b;
    }
}

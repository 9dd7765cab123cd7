package dev.pyloom.threading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.testing.Spawned;
import org.junit.jupiter.api.Test;

/** {@link RLock}: the lock protocol plus CPython's {@code RLockTests}. */
class RLockTest extends AcquirableContract<RLock> {

    @Override
    RLock newPrimitive() {
        return new RLock();
    }

    @Test
    void theOwnerMayAcquireAgainAndEveryAcquireCounts() throws Exception {
        RLock lock = new RLock();
        lock.acquire();
        assertTrue(lock.tryAcquire());
        lock.acquire();
        assertEquals(3, lock.holdCount());
        lock.release();
        lock.release();
        assertTrue(lock.locked(), "one hold left");
        lock.release();
        assertFalse(lock.locked());
        assertEquals(0, lock.holdCount());
    }

    @Test
    void releaseByANonOwnerThrows() throws Exception {
        RLock lock = new RLock();
        lock.acquire();
        Throwable failure = Spawned.run(lock::release).failure();
        assertEquals(IllegalStateException.class, failure.getClass());
        assertEquals("cannot release un-acquired lock", failure.getMessage());
        assertTrue(lock.isHeldByCurrentThread(), "the owner still holds it");
        lock.release();
    }

    @Test
    void releasingAnUnacquiredLockThrows() {
        assertThrows(IllegalStateException.class, new RLock()::release);
    }

    @Test
    void releasingMoreThanAcquiredThrows() throws Exception {
        RLock lock = new RLock();
        lock.acquire();
        lock.release();
        assertThrows(IllegalStateException.class, lock::release);
    }

    @Test
    void anotherThreadWaitsUntilTheLastRelease() throws Exception {
        RLock lock = new RLock();
        lock.acquire();
        lock.acquire();
        Spawned<Void> waiter = Spawned.run(() -> {
            lock.acquire();
            lock.release();
        }).awaitBlocked();
        lock.release();
        assertFalse(Spawned.call(lock::tryAcquire).join(), "still owned after the first release");
        assertFalse(waiter.isDone());
        lock.release();
        waiter.join();
    }

    @Test
    void ownershipIsPerThread() throws Exception {
        RLock lock = new RLock();
        lock.acquire();
        assertTrue(lock.isHeldByCurrentThread());
        assertEquals(1, lock.holdCount());
        assertFalse(Spawned.call(lock::isHeldByCurrentThread).join());
        assertEquals(0, Spawned.call(lock::holdCount).join());
        lock.release();
    }

    @Test
    void toStringNamesTheOwnerAndCount() throws Exception {
        RLock lock = new RLock();
        assertEquals("RLock[unlocked]", lock.toString());
        lock.acquire();
        lock.acquire();
        assertTrue(lock.toString().contains("count=2"), lock.toString());
    }
}

package dev.pyloom.threading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.testing.Spawned;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What every semaphore promises, CPython's {@code BaseSemaphoreTests}; run for both kinds. */
abstract class SemaphoreContract<S extends Semaphore> extends AcquirableContract<S> {

    abstract S newSemaphore(int value);

    /** The semaphore made by the no-argument constructor. */
    abstract S newDefaultSemaphore();

    @Override
    S newPrimitive() {
        return newSemaphore(1);
    }

    @Test
    void aNegativeInitialValueIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> newSemaphore(-1));
        assertTrue(e.getMessage().contains(">= 0"), e.getMessage());
    }

    @Test
    void acquireTakesPermitsUntilNoneAreLeft() {
        S sem = newSemaphore(3);
        assertTrue(sem.tryAcquire());
        assertTrue(sem.tryAcquire());
        assertTrue(sem.tryAcquire());
        assertFalse(sem.tryAcquire());
        assertEquals(0, sem.availablePermits());
    }

    @Test
    void aZeroSemaphoreHasNothingToGive() {
        assertFalse(newSemaphore(0).tryAcquire());
    }

    @Test
    void anExhaustedSemaphoreMakesEveryoneWait() throws Exception {
        S sem = newSemaphore(1);
        sem.acquire();
        Spawned<Void> waiter = Spawned.run(sem::acquire).awaitBlocked();
        sem.release();
        waiter.join();
        assertEquals(0, sem.availablePermits());
    }

    @Test
    void releaseOfNWakesUpToNWaiters() throws Exception {
        S sem = newSemaphore(3);
        for (int i = 0; i < 3; i++) {
            sem.acquire();
        }
        AtomicInteger through = new AtomicInteger();
        List<Spawned<Void>> waiters = List.of(
                Spawned.run(() -> { sem.acquire(); through.incrementAndGet(); }).awaitBlocked(),
                Spawned.run(() -> { sem.acquire(); through.incrementAndGet(); }).awaitBlocked(),
                Spawned.run(() -> { sem.acquire(); through.incrementAndGet(); }).awaitBlocked());
        sem.release(2);
        Spawned.awaitUntil(() -> waiters.stream().filter(Spawned::isDone).count() == 2);
        assertEquals(2, through.get());
        sem.release();
        Spawned.joinAll(waiters);
        assertEquals(3, through.get());
    }

    @Test
    void releaseOfLessThanOneIsRejected() {
        S sem = newSemaphore(1);
        assertThrows(IllegalArgumentException.class, () -> sem.release(0));
        assertThrows(IllegalArgumentException.class, () -> sem.release(-2));
        assertEquals(1, sem.availablePermits());
    }

    @Test
    void anyThreadMayRelease() throws Exception {
        S sem = newSemaphore(1);
        sem.acquire();
        Spawned.run(sem::release).join();
        assertEquals(1, sem.availablePermits());
    }

    @Test
    void atMostValueThreadsHoldItAtOnce() throws Exception {
        int value = 3;
        S sem = newSemaphore(value);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        List<Spawned<Void>> all = Spawned.runMany(200, () -> {
            for (int i = 0; i < 50; i++) {
                try (var held = sem.hold()) {
                    int now = inside.incrementAndGet();
                    mostInside.accumulateAndGet(now, Math::max);
                    Thread.yield();
                    inside.decrementAndGet();
                }
            }
        });
        Spawned.joinAll(all);
        assertTrue(mostInside.get() <= value, "at most " + value + " inside, saw " + mostInside.get());
        assertEquals(value, sem.availablePermits());
    }

    @Test
    void theDefaultValueIsOne() {
        assertEquals(1, newDefaultSemaphore().availablePermits());
    }
}

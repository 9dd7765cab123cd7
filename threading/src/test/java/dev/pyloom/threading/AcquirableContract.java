package dev.pyloom.threading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.testing.Spawned;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The lock protocol every {@link Acquirable} promises, CPython's {@code BaseLockTests}: run for
 * Lock, RLock, Condition (over each lock), Semaphore and BoundedSemaphore.
 *
 * <p>"Held elsewhere" means acquired by another thread, which for a one-permit semaphore and a
 * non-reentrant lock is also what stops the test thread, and for an RLock what stops a thread
 * that does not own it.
 */
abstract class AcquirableContract<T extends Acquirable> {

    /** A fresh primitive that one thread can acquire once (one permit, unlocked). */
    abstract T newPrimitive();

    /** Acquires {@code primitive} in another thread, which then ends without releasing. */
    static void acquireElsewhere(Acquirable primitive) throws Exception {
        Spawned.run(primitive::acquire).join();
    }

    @Test
    void acquireThenRelease() throws Exception {
        T primitive = newPrimitive();
        primitive.acquire();
        primitive.release();
        assertTrue(primitive.tryAcquire());
        primitive.release();
    }

    @Test
    void tryAcquireSucceedsWhenAvailable() {
        T primitive = newPrimitive();
        assertTrue(primitive.tryAcquire());
        primitive.release();
    }

    @Test
    void tryAcquireFailsWhileHeldElsewhere() throws Exception {
        T primitive = newPrimitive();
        Spawned<Void> holder = Spawned.run(primitive::acquire);
        holder.join();
        assertFalse(Spawned.call(primitive::tryAcquire).join());
    }

    @Test
    void timedTryAcquireGivesUpWhileHeldElsewhere() throws Exception {
        T primitive = newPrimitive();
        acquireElsewhere(primitive);
        assertFalse(Spawned.call(() -> primitive.tryAcquire(Duration.ofMillis(20))).join());
    }

    @Test
    void zeroTimeoutDoesNotWaitAndStillAcquiresWhenFree() throws Exception {
        T primitive = newPrimitive();
        assertTrue(primitive.tryAcquire(Duration.ZERO));
        assertFalse(Spawned.call(() -> primitive.tryAcquire(Duration.ZERO)).join());
    }

    @Test
    void timedTryAcquireSucceedsWhenReleasedInTime() throws Exception {
        T primitive = newPrimitive();
        primitive.acquire();
        Spawned<Boolean> waiter = Spawned.call(() -> primitive.tryAcquire(Spawned.PATIENCE)).awaitBlocked();
        primitive.release();
        assertTrue(waiter.join());
    }

    @Test
    void negativeTimeoutIsRejectedAndAcquiresNothing() {
        T primitive = newPrimitive();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> primitive.tryAcquire(Duration.ofMillis(-1)));
        assertTrue(e.getMessage().contains("negative"), e.getMessage());
        assertTrue(primitive.tryAcquire(), "still available after the rejected call");
        primitive.release();
    }

    @Test
    void nullTimeoutIsRejected() {
        assertThrows(NullPointerException.class, () -> newPrimitive().tryAcquire(null));
    }

    @Test
    void hugeTimeoutMeansWaitWithoutOverflowing() throws Exception {
        T primitive = newPrimitive();
        primitive.acquire();
        Spawned<Boolean> waiter = Spawned.call(() -> primitive.tryAcquire(Duration.ofSeconds(Long.MAX_VALUE)))
                .awaitBlocked();
        assertFalse(waiter.isDone(), "an overflowing deadline must not look like one in the past");
        primitive.release();
        assertTrue(waiter.join());
    }

    @Test
    void blockedAcquireProceedsOnceReleased() throws Exception {
        T primitive = newPrimitive();
        primitive.acquire();
        Spawned<Void> waiter = Spawned.run(() -> {
            primitive.acquire();
            primitive.release();
        }).awaitBlocked();
        assertFalse(waiter.isDone());
        primitive.release();
        waiter.join();
    }

    @Test
    void holdReleasesWhenClosed() throws Exception {
        T primitive = newPrimitive();
        try (var held = primitive.hold()) {
            assertFalse(Spawned.call(primitive::tryAcquire).join(), "held inside the block");
        }
        assertTrue(Spawned.call(() -> {
            boolean acquired = primitive.tryAcquire();
            primitive.release();
            return acquired;
        }).join(), "free after the block");
    }

    @Test
    void closingAHoldTwiceReleasesOnlyOnce() throws Exception {
        T primitive = newPrimitive();
        Acquirable.Held held = primitive.hold();
        held.close();
        Spawned.run(primitive::acquire).join(); // somebody else's acquisition now
        held.close();                           // must not release theirs
        assertFalse(Spawned.call(primitive::tryAcquire).join());
    }

    @Test
    void holdReleasesWhenTheBodyThrows() throws Exception {
        T primitive = newPrimitive();
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> {
            try (var held = primitive.hold()) {
                throw boom;
            }
        });
        assertSame(boom, thrown);
        assertTrue(primitive.tryAcquire());
        primitive.release();
    }

    @Test
    void interruptedAcquireThrowsAndAcquiresNothing() throws Exception {
        T primitive = newPrimitive();
        primitive.acquire();
        Spawned<Void> waiter = Spawned.run(primitive::acquire).awaitBlocked();
        waiter.thread().interrupt();
        assertInstanceOf(InterruptedException.class, waiter.failure());
        primitive.release();
        assertTrue(primitive.tryAcquire(), "the interrupted waiter took nothing");
        primitive.release();
    }

    @Test
    void interruptedTimedAcquireThrows() throws Exception {
        T primitive = newPrimitive();
        primitive.acquire();
        Spawned<Boolean> waiter = Spawned.call(() -> primitive.tryAcquire(Spawned.PATIENCE)).awaitBlocked();
        waiter.thread().interrupt();
        assertInstanceOf(InterruptedException.class, waiter.failure());
        primitive.release();
    }

    @Test
    void tenThousandVirtualThreadsLoseNoIncrement() throws Exception {
        T primitive = newPrimitive();
        int threads = 10_000;
        int incrementsEach = 10;
        int[] counter = {0}; // deliberately not atomic: only the primitive protects it
        List<Spawned<Void>> all = Spawned.runMany(threads, () -> {
            for (int i = 0; i < incrementsEach; i++) {
                try (var held = primitive.hold()) {
                    counter[0]++;
                }
            }
        });
        Spawned.joinAll(all);
        assertEquals(threads * incrementsEach, counter[0]);
    }

    @Test
    void platformAndVirtualThreadsShareIt() throws Exception {
        T primitive = newPrimitive();
        int[] counter = {0};
        PyThread.Target work = () -> {
            for (int i = 0; i < 10_000; i++) {
                try (var held = primitive.hold()) {
                    counter[0]++;
                }
            }
        };
        PyThread platform = PyThread.builder().platform().target(work).start();
        PyThread virtual = PyThread.builder().target(work).start();
        platform.join();
        virtual.join();
        assertEquals(20_000, counter[0]);
    }
}

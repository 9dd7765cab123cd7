package dev.pyloom.threading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pyloom.testing.Spawned;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link BoundedSemaphore}: the semaphore contract, plus the bound (CPython's {@code BoundedSemaphoreTests}). */
class BoundedSemaphoreTest extends SemaphoreContract<BoundedSemaphore> {

    @Override
    BoundedSemaphore newSemaphore(int value) {
        return new BoundedSemaphore(value);
    }

    @Override
    BoundedSemaphore newDefaultSemaphore() {
        return new BoundedSemaphore();
    }

    @Test
    void releasingBeyondTheInitialValueThrows() {
        BoundedSemaphore sem = new BoundedSemaphore(2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, sem::release);
        assertEquals("Semaphore released too many times", e.getMessage());
        assertEquals(2, sem.availablePermits());
    }

    @Test
    void aReleaseOfNThatWouldCrossTheBoundChangesNothing() throws Exception {
        BoundedSemaphore sem = new BoundedSemaphore(3);
        sem.acquire();
        assertThrows(IllegalArgumentException.class, () -> sem.release(2));
        assertEquals(2, sem.availablePermits());
        sem.release(1);
        assertEquals(3, sem.availablePermits());
    }

    @Test
    void racingReleasesCannotSqueezePastTheBound() throws Exception {
        int bound = 50;
        BoundedSemaphore sem = new BoundedSemaphore(bound);
        for (int i = 0; i < bound; i++) {
            sem.acquire();
        }
        AtomicInteger refused = new AtomicInteger();
        List<Spawned<Void>> releasers = Spawned.runMany(2 * bound, () -> {
            try {
                sem.release();
            } catch (IllegalArgumentException tooMany) {
                refused.incrementAndGet();
            }
        });
        Spawned.joinAll(releasers);
        assertEquals(bound, sem.availablePermits());
        assertEquals(bound, refused.get());
    }

    @Test
    void theBoundIsTheInitialValue() {
        assertEquals(4, new BoundedSemaphore(4).bound());
        assertEquals(1, new BoundedSemaphore().bound());
    }
}

package dev.pyloom.threading;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@link Semaphore}: unbounded, so releasing more than was acquired raises the count. */
class SemaphoreTest extends SemaphoreContract<Semaphore> {

    @Override
    Semaphore newSemaphore(int value) {
        return new Semaphore(value);
    }

    @Override
    Semaphore newDefaultSemaphore() {
        return new Semaphore();
    }

    @Test
    void releasingBeyondTheInitialValueRaisesTheCount() {
        Semaphore sem = new Semaphore(1);
        sem.release();
        sem.release(3);
        assertEquals(5, sem.availablePermits());
    }

    @Test
    void toStringShowsThePermits() {
        assertEquals("Semaphore[permits=2]", new Semaphore(2).toString());
    }
}

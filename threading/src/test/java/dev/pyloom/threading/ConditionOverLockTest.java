package dev.pyloom.threading;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pyloom.testing.Spawned;
import org.junit.jupiter.api.Test;

/** The condition contract over a non-reentrant {@link Lock}. */
class ConditionOverLockTest extends ConditionContract {

    @Override
    Condition newCondition() {
        return new Condition(new Lock());
    }

    @Test
    void awaitRequiresTheCallingThreadToHaveAcquiredTheLock() throws Exception {
        // Stricter than CPython, which only checks that the lock is locked by somebody.
        Lock lock = new Lock();
        Condition cond = new Condition(lock);
        Spawned.run(lock::acquire).join();
        assertThrows(IllegalStateException.class, cond::await);
        assertThrows(IllegalStateException.class, cond::signal);
    }

    @Test
    void aNullLockIsRejected() {
        assertThrows(NullPointerException.class, () -> new Condition((Lock) null));
    }
}

package dev.pyloom.threading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.testing.Spawned;
import org.junit.jupiter.api.Test;

/** The condition contract over a reentrant {@link RLock}, Python's default. */
class ConditionOverRLockTest extends ConditionContract {

    @Override
    Condition newCondition() {
        return new Condition(new RLock());
    }

    @Test
    void awaitReleasesEveryHoldAndRestoresThem() throws Exception {
        RLock lock = new RLock();
        Condition cond = new Condition(lock);
        Spawned<Integer> waiter = Spawned.call(() -> {
            lock.acquire();
            lock.acquire();
            lock.acquire();
            cond.await();
            int holds = lock.holdCount();
            for (int i = 0; i < holds; i++) {
                lock.release();
            }
            return holds;
        }).awaitBlocked();
        assertTrue(lock.tryAcquire(), "all three holds were released while waiting");
        cond.signal();
        lock.release();
        assertEquals(3, waiter.join());
    }

    @Test
    void aConditionWithoutALockUsesAReentrantOne() throws Exception {
        Condition cond = new Condition();
        cond.acquire();
        assertTrue(cond.tryAcquire(), "reentrant: the owner acquires again");
        cond.release();
        cond.release();
    }

    @Test
    void aThreadThatDoesNotOwnTheLockCannotWaitOrNotify() throws Exception {
        RLock lock = new RLock();
        Condition cond = new Condition(lock);
        lock.acquire();
        assertThrows(IllegalStateException.class, () -> Spawned.run(cond::await).join());
        assertThrows(IllegalStateException.class, () -> Spawned.run(cond::signal).join());
        lock.release();
    }
}

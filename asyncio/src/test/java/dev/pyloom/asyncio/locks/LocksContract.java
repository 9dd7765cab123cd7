package dev.pyloom.asyncio.locks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.asyncio.Asyncio;
import dev.pyloom.asyncio.CancelledException;
import dev.pyloom.asyncio.EventLoop;
import dev.pyloom.asyncio.LoopContract;
import dev.pyloom.asyncio.Task;
import dev.pyloom.asyncio.Timeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import org.junit.jupiter.api.Test;

/**
 * The loop-bound primitives: CPython's {@code test_locks} ({@code LockTests}, {@code EventTests},
 * {@code ConditionTests}, {@code SemaphoreTests}, {@code BarrierTests}).
 */
abstract class LocksContract extends LoopContract {

    // ---- Lock

    @Test
    void lockWaitersAcquireInTheOrderTheyAsked() throws Exception { // test_acquire
        List<Integer> order = new ArrayList<>();
        run(() -> {
            Lock lock = new Lock();
            lock.acquire();
            List<Task<?>> waiters = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int n = i;
                waiters.add(Asyncio.createTask(() -> {
                    try (var held = lock.hold()) {
                        order.add(n);
                    }
                }));
            }
            Asyncio.sleep(Duration.ZERO);
            lock.release();
            Asyncio.gather(waiters);
        });
        assertEquals(List.of(0, 1, 2), order);
    }

    @Test
    void releasingAnUnlockedLockThrows() throws Exception { // test_release_not_acquired
        run(() -> assertThrows(IllegalStateException.class, () -> new Lock().release()));
    }

    @Test
    void aCancelledLockWaiterGivesUpItsPlace() throws Exception { // test_cancel_race
        List<String> order = new ArrayList<>();
        run(() -> {
            Lock lock = new Lock();
            lock.acquire();
            Task<?> cancelled = Asyncio.createTask(() -> {
                lock.acquire();
                order.add("cancelled waiter acquired");
            });
            Task<?> next = Asyncio.createTask(() -> {
                lock.acquire();
                order.add("next waiter acquired");
                lock.release();
            });
            Asyncio.sleep(Duration.ZERO);
            cancelled.cancel();
            lock.release();
            assertThrows(CancelledException.class, cancelled::await);
            next.await();
            assertFalse(lock.locked());
        });
        assertEquals(List.of("next waiter acquired"), order);
    }

    @Test
    void aWaiterCancelledAfterBeingWokenPassesTheLockOn() throws Exception { // test_cancel_release_race
        run(() -> {
            Lock lock = new Lock();
            lock.acquire();
            Task<?> first = Asyncio.createTask(lock::acquire);
            Task<?> second = Asyncio.createTask(lock::acquire);
            Asyncio.sleep(Duration.ZERO);
            lock.release();   // wakes the first waiter...
            first.cancel();   // ...which is cancelled before it runs
            assertThrows(CancelledException.class, first::await);
            second.await();
            assertTrue(lock.locked(), "the second waiter got the lock");
        });
    }

    @Test
    void theLockProtectsStateAcrossAwaitPoints() throws Exception {
        int[] balance = {0};
        run(() -> {
            Lock lock = new Lock();
            List<Task<?>> all = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                all.add(Asyncio.createTask(() -> {
                    try (var held = lock.hold()) {
                        int read = balance[0];
                        Asyncio.sleep(Duration.ZERO); // another coroutine runs here, but not in here
                        balance[0] = read + 1;
                    }
                }));
            }
            Asyncio.gather(all);
        });
        assertEquals(100, balance[0]);
    }

    @Test
    void aPrimitiveUsedFromAnotherThreadIsRejected() throws Exception {
        Lock lock = new Lock();
        Event event = new Event();
        Throwable thrown = run(() -> {
            lock.acquire(); // binds both to this loop
            event.set();
            return Asyncio.toThread(() -> {
                try {
                    event.clear();
                    return null;
                } catch (IllegalStateException expected) {
                    return expected;
                }
            });
        });
        assertInstanceOf(IllegalStateException.class, thrown);
        assertTrue(thrown.getMessage().contains("not thread-safe"), thrown.getMessage());
        assertThrows(IllegalStateException.class, lock::release, "from a thread running no loop at all");
    }

    @Test
    void aPrimitiveBoundToOneLoopIsRejectedByAnother() throws Exception { // test_lock_by_with_statement... different loop
        Event event = new Event();
        run(event::set);
        try (EventLoop other = new EventLoop(strategy())) {
            assertThrows(IllegalStateException.class, () -> other.run(event::isSet));
        }
    }

    // ---- Event

    @Test
    void eventWakesEveryWaiter() throws Exception { // test_wait
        List<Integer> woken = new ArrayList<>();
        run(() -> {
            Event event = new Event();
            List<Task<?>> waiters = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int n = i;
                waiters.add(Asyncio.createTask(() -> {
                    event.await();
                    woken.add(n);
                }));
            }
            Asyncio.sleep(Duration.ZERO);
            assertTrue(woken.isEmpty());
            event.set();
            Asyncio.gather(waiters);
        });
        assertEquals(List.of(0, 1, 2), woken);
    }

    @Test
    void eventAwaitReturnsAtOnceWhenSetAndClearLowersTheFlag() throws Exception { // test_clear
        run(() -> {
            Event event = new Event();
            event.set();
            event.await();
            assertTrue(event.isSet());
            event.clear();
            assertFalse(event.isSet());
        });
    }

    @Test
    void aWaiterWokenBySetReturnsEvenIfClearFollowsAtOnce() throws Exception { // test_clear_with_waiters
        run(() -> {
            Event event = new Event();
            Task<?> waiter = Asyncio.createTask(event::await);
            Asyncio.sleep(Duration.ZERO);
            event.set();
            event.clear();
            waiter.await();
        });
    }

    @Test
    void aCancelledEventWaiterIsForgotten() throws Exception { // test_wait_cancel
        run(() -> {
            Event event = new Event();
            Task<?> waiter = Asyncio.createTask(event::await);
            Asyncio.sleep(Duration.ZERO);
            waiter.cancel();
            assertThrows(CancelledException.class, waiter::await);
            assertFalse(event.toString().contains("waiters"), event.toString());
        });
    }

    // ---- Condition

    @Test
    void conditionSignalWakesWaitersOneAtATimeInOrder() throws Exception { // test_notify
        List<Integer> order = new ArrayList<>();
        run(() -> {
            Condition cond = new Condition();
            List<Task<?>> waiters = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int n = i;
                waiters.add(Asyncio.createTask(() -> {
                    try (var held = cond.hold()) {
                        cond.await();
                        order.add(n);
                    }
                }));
            }
            Asyncio.sleep(Duration.ZERO);
            try (var held = cond.hold()) {
                cond.signal();
            }
            Asyncio.sleep(ms(1));
            assertEquals(List.of(0), order);
            try (var held = cond.hold()) {
                cond.signalAll();
            }
            Asyncio.gather(waiters);
        });
        assertEquals(List.of(0, 1, 2), order);
    }

    @Test
    void conditionWaitForChecksThePredicateAfterEachNotification() throws Exception { // test_wait_for
        run(() -> {
            Condition cond = new Condition();
            int[] value = {0};
            Task<?> waiter = Asyncio.createTask(() -> {
                try (var held = cond.hold()) {
                    cond.waitFor(() -> value[0] == 2);
                }
            });
            for (int i = 1; i <= 2; i++) {
                Asyncio.sleep(Duration.ZERO);
                try (var held = cond.hold()) {
                    value[0] = i;
                    cond.signalAll();
                }
            }
            waiter.await();
        });
    }

    @Test
    void conditionWaitAndSignalWithoutTheLockThrow() throws Exception { // test_wait_unacquired, test_notify_unacquired
        run(() -> {
            Condition cond = new Condition();
            assertThrows(IllegalStateException.class, cond::await);
            assertThrows(IllegalStateException.class, cond::signal);
        });
    }

    @Test
    void aCancelledConditionWaitStillRetakesTheLock() throws Exception { // test_wait_cancel_contested
        run(() -> {
            Condition cond = new Condition();
            boolean[] heldAfterCancel = {false};
            Task<?> waiter = Asyncio.createTask(() -> {
                cond.acquire();
                try {
                    cond.await();
                } finally {
                    heldAfterCancel[0] = cond.locked();
                    cond.release();
                }
            });
            Asyncio.sleep(Duration.ZERO);
            waiter.cancel();
            assertThrows(CancelledException.class, waiter::await);
            assertTrue(heldAfterCancel[0]);
        });
    }

    @Test
    void aConditionWaitThatTimesOutWhileTheLockIsHeldElsewhereWaitsForIt() throws Exception { // test_wait_cancel_contested, with a timeout
        // The waiter's timeout expires while another task holds the lock: the waiter must take
        // the lock back before it leaves (with the scope's TimeoutException), never release the
        // other task's.
        List<String> events = run(() -> {
            Condition cond = new Condition();
            List<String> log = new ArrayList<>();
            Event waiting = new Event();
            Task<?> waiter = Asyncio.createTask(() -> {
                try (var held = cond.hold()) {
                    try (Timeout t = Asyncio.timeout(ms(1))) {
                        waiting.set();
                        cond.await();
                    } catch (java.util.concurrent.TimeoutException e) {
                        log.add("waiter timed out, holding the lock: " + cond.locked());
                    }
                }
            });
            waiting.await();
            cond.acquire(); // the waiter released it to wait
            try {
                Asyncio.sleep(ms(20)); // the waiter's timeout expires meanwhile; the lock is ours
                log.add("holder still holds it: " + cond.locked());
            } finally {
                cond.release(); // ours to release: must not throw
            }
            waiter.await();
            return log;
        });
        assertEquals(List.of("holder still holds it: true", "waiter timed out, holding the lock: true"), events);
    }

    @Test
    void aWaiterCancelledAsItIsNotifiedPassesTheNotificationOn() throws Exception { // test_cancelled_wakeup
        assertEquals(0, consumeOneItemWhileTheNotifiedConsumerIsCancelled(false));
    }

    @Test
    void aWaiterCancelledWhileItRetakesTheLockPassesTheNotificationOn() throws Exception { // test_cancelled_error_re_aquire
        assertEquals(0, consumeOneItemWhileTheNotifiedConsumerIsCancelled(true));
    }

    /**
     * Two consumers wait for an item; one item is produced and one consumer notified, which is
     * then cancelled: before it ran, or (after a loop step) while it waits to take the lock back.
     * The other consumer must take the item. Returns the items left.
     */
    private int consumeOneItemWhileTheNotifiedConsumerIsCancelled(boolean afterAStep) throws Exception {
        return run(() -> {
            Condition cond = new Condition();
            int[] state = {0};
            List<Task<?>> consumers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                consumers.add(Asyncio.createTask(() -> {
                    try (var held = cond.hold()) {
                        while (true) {
                            cond.waitFor(() -> state[0] != 0);
                            if (state[0] < 0) {
                                return;
                            }
                            state[0]--;
                            cond.signalAll(); // tell the producer
                        }
                    }
                }));
            }
            Asyncio.sleep(Duration.ZERO);
            int left;
            try (var held = cond.hold()) {
                state[0]++;
                cond.signal(1);
                if (afterAStep) {
                    Asyncio.sleep(Duration.ZERO); // the consumer wakes, and waits for the lock we hold
                }
                consumers.get(0).cancel();
                try (Timeout bound = Asyncio.timeout(PATIENCE)) { // only elapses if the item is never taken
                    cond.waitFor(() -> state[0] == 0);
                }
                left = state[0];
                state[0] = -1;
                cond.signalAll();
            }
            assertThrows(CancelledException.class, consumers.get(0)::await);
            consumers.get(1).await();
            return left;
        });
    }

    // ---- Semaphore

    @Test
    void semaphoreLetsValueHoldersInAndQueuesTheRest() throws Exception { // test_acquire
        run(() -> {
            Semaphore sem = new Semaphore(2);
            sem.acquire();
            sem.acquire();
            assertTrue(sem.locked());
            Task<?> third = Asyncio.createTask(sem::acquire);
            Asyncio.sleep(Duration.ZERO);
            assertFalse(third.done());
            sem.release();
            third.await();
            assertEquals(0, sem.availablePermits());
        });
    }

    @Test
    void aNegativeSemaphoreValueIsRejected() { // test_initial_value_zero / ValueError
        assertThrows(IllegalArgumentException.class, () -> new Semaphore(-1));
    }

    @Test
    void aNewcomerWaitsBehindQueuedWaitersEvenWithAPermitFree() throws Exception { // test_acquire_fifo_order
        List<String> order = new ArrayList<>();
        run(() -> {
            Semaphore sem = new Semaphore(0);
            Task<?> queued = Asyncio.createTask(() -> {
                sem.acquire();
                order.add("queued first");
            });
            Asyncio.sleep(Duration.ZERO);
            sem.release();
            Task<?> newcomer = Asyncio.createTask(() -> {
                sem.acquire();
                order.add("newcomer");
            });
            queued.await();
            sem.release();
            newcomer.await();
        });
        assertEquals(List.of("queued first", "newcomer"), order);
    }

    @Test
    void aSemaphoreWaiterCancelledAfterBeingHandedAPermitGivesItBack() throws Exception { // test_acquire_cancel_before_awoken
        run(() -> {
            Semaphore sem = new Semaphore(0);
            Task<?> first = Asyncio.createTask(sem::acquire);
            Task<?> second = Asyncio.createTask(sem::acquire);
            Asyncio.sleep(Duration.ZERO);
            sem.release();
            first.cancel();
            assertThrows(CancelledException.class, first::await);
            second.await();
            assertEquals(0, sem.availablePermits());
        });
    }

    @Test
    void aBoundedSemaphoreReleasedTooOftenThrows() throws Exception { // test_release_no_waiters... BoundedSemaphore
        run(() -> {
            BoundedSemaphore sem = new BoundedSemaphore(1);
            sem.acquire();
            sem.release();
            assertThrows(IllegalArgumentException.class, sem::release);
        });
    }

    // ---- Barrier

    @Test
    void barrierReleasesEveryPartyOnceAllArriveWithDistinctIndices() throws Exception { // test_barrier
        List<Integer> indices = run(() -> {
            Barrier barrier = new Barrier(3);
            List<Task<Integer>> parties = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                parties.add(Asyncio.createTask(barrier::await));
            }
            List<Integer> got = new ArrayList<>(Asyncio.gather(parties));
            got.sort(null);
            assertEquals(0, barrier.nWaiting());
            return got;
        });
        assertEquals(List.of(0, 1, 2), indices);
    }

    @Test
    void barrierCanBeUsedForSeveralRounds() throws Exception { // test_draining_state
        run(() -> {
            Barrier barrier = new Barrier(2);
            for (int round = 0; round < 3; round++) {
                Task<Integer> other = Asyncio.createTask(barrier::await);
                barrier.await();
                other.await();
            }
        });
    }

    @Test
    void abortBreaksTheBarrierForWaitersAndLaterCallers() throws Exception { // test_abort_barrier
        run(() -> {
            Barrier barrier = new Barrier(2);
            Task<Integer> waiter = Asyncio.createTask(barrier::await);
            Asyncio.sleep(Duration.ZERO);
            barrier.abort();
            assertThrows(BrokenBarrierException.class, waiter::await);
            assertTrue(barrier.isBroken());
            assertThrows(BrokenBarrierException.class, barrier::await);
        });
    }

    @Test
    void resetBreaksTheCurrentRoundAndMakesTheBarrierUsableAgain() throws Exception { // test_reset_barrier
        run(() -> {
            Barrier barrier = new Barrier(2);
            Task<Integer> waiter = Asyncio.createTask(barrier::await);
            Asyncio.sleep(Duration.ZERO);
            barrier.reset();
            assertThrows(BrokenBarrierException.class, waiter::await);
            assertFalse(barrier.isBroken());
            Task<Integer> again = Asyncio.createTask(barrier::await);
            barrier.await();
            again.await();
        });
    }

    @Test
    void aBarrierNeedsAtLeastOneParty() {
        assertThrows(IllegalArgumentException.class, () -> new Barrier(0));
    }
}

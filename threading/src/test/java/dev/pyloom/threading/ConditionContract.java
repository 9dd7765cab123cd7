package dev.pyloom.threading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.testing.Spawned;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * What a {@link Condition} promises over any lock, CPython's {@code ConditionTests}; a condition
 * is also an {@link Acquirable} (through its lock), so the lock protocol runs for it too.
 */
abstract class ConditionContract extends AcquirableContract<Condition> {

    abstract Condition newCondition();

    @Override
    Condition newPrimitive() {
        return newCondition();
    }

    /** A waiter that waits once for a notification, holding the lock as it must. */
    private static Spawned<Void> waitOnce(Condition cond) {
        return Spawned.run(() -> {
            try (var held = cond.hold()) {
                cond.await();
            }
        });
    }

    private static void signalOne(Condition cond) throws InterruptedException {
        try (var held = cond.hold()) {
            cond.signal();
        }
    }

    @Test
    void awaitWithoutHoldingTheLockThrows() {
        Condition cond = newCondition();
        IllegalStateException e = assertThrows(IllegalStateException.class, cond::await);
        assertEquals("cannot wait on un-acquired lock", e.getMessage());
        assertThrows(IllegalStateException.class, () -> cond.await(Duration.ofSeconds(1)));
    }

    @Test
    void waitForWithoutHoldingTheLockThrowsEvenIfThePredicateHolds() {
        Condition cond = newCondition();
        assertThrows(IllegalStateException.class, () -> cond.waitFor(() -> true));
        assertThrows(IllegalStateException.class, () -> cond.waitFor(() -> true, Duration.ofSeconds(1)));
    }

    @Test
    void signalWithoutHoldingTheLockThrows() {
        Condition cond = newCondition();
        IllegalStateException e = assertThrows(IllegalStateException.class, cond::signal);
        assertEquals("cannot notify on un-acquired lock", e.getMessage());
        assertThrows(IllegalStateException.class, () -> cond.signal(2));
        assertThrows(IllegalStateException.class, cond::signalAll);
    }

    @Test
    void signalOfANegativeCountThrows() throws Exception {
        Condition cond = newCondition();
        try (var held = cond.hold()) {
            assertThrows(IllegalArgumentException.class, () -> cond.signal(-1));
            cond.signal(0);
        }
    }

    @Test
    void signalWakesAWaiter() throws Exception {
        Condition cond = newCondition();
        Spawned<Void> waiter = waitOnce(cond).awaitBlocked();
        signalOne(cond);
        waiter.join();
    }

    @Test
    void awaitReleasesTheLockWhileWaiting() throws Exception {
        Condition cond = newCondition();
        Spawned<Void> waiter = waitOnce(cond).awaitBlocked();
        assertTrue(cond.tryAcquire(), "the waiter must have released the lock");
        cond.signal();
        assertFalse(waiter.isDone(), "the woken waiter needs the lock back before it returns");
        cond.release();
        waiter.join();
    }

    @Test
    void signalWakesTheLongestWaitingThreadFirst() throws Exception {
        Condition cond = newCondition();
        Queue<Integer> wokenInOrder = new ConcurrentLinkedQueue<>();
        List<Spawned<Void>> waiters = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int id = i;
            waiters.add(Spawned.run(() -> {
                try (var held = cond.hold()) {
                    cond.await();
                    wokenInOrder.add(id);
                }
            }).awaitBlocked());
        }
        for (int i = 0; i < 5; i++) {
            signalOne(cond);
            waiters.get(i).join();
        }
        assertEquals(List.of(0, 1, 2, 3, 4), List.copyOf(wokenInOrder));
    }

    @Test
    void signalOfNWakesExactlyN() throws Exception {
        Condition cond = newCondition();
        AtomicInteger woken = new AtomicInteger();
        List<Spawned<Void>> waiters = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            waiters.add(Spawned.run(() -> {
                try (var held = cond.hold()) {
                    cond.await();
                    woken.incrementAndGet();
                }
            }).awaitBlocked());
        }
        try (var held = cond.hold()) {
            cond.signal(2);
        }
        Spawned.awaitUntil(() -> waiters.stream().filter(Spawned::isDone).count() == 2);
        assertEquals(2, woken.get());
        // The other three are still waiting: a signalAll is what releases them.
        waiters.stream().filter(w -> !w.isDone()).forEach(Spawned::awaitBlocked);
        assertEquals(2, woken.get());
        try (var held = cond.hold()) {
            cond.signalAll();
        }
        Spawned.joinAll(waiters);
        assertEquals(5, woken.get());
    }

    @Test
    void signalWithNoWaitersIsANoOp() throws Exception {
        Condition cond = newCondition();
        try (var held = cond.hold()) {
            cond.signal();
            cond.signalAll();
            assertFalse(cond.await(Duration.ZERO), "an earlier signal is not remembered");
        }
    }

    @Test
    void timedAwaitReturnsFalseOnTimeoutAndHoldsTheLockAgain() throws Exception {
        Condition cond = newCondition();
        try (var held = cond.hold()) {
            assertFalse(cond.await(Duration.ofMillis(10)));
            cond.signal(); // would throw if the lock were not held again
        }
    }

    @Test
    void timedAwaitReturnsTrueWhenSignalled() throws Exception {
        Condition cond = newCondition();
        Spawned<Boolean> waiter = Spawned.call(() -> {
            try (var held = cond.hold()) {
                return cond.await(Spawned.PATIENCE);
            }
        }).awaitBlocked();
        signalOne(cond);
        assertTrue(waiter.join());
    }

    @Test
    void waitForReturnsAtOnceWhenThePredicateAlreadyHolds() throws Exception {
        Condition cond = newCondition();
        try (var held = cond.hold()) {
            assertTrue(cond.waitFor(() -> true, Spawned.PATIENCE));
            cond.waitFor(() -> true);
        }
    }

    @Test
    void waitForReturnsThePredicatesLastValueWhenTimeRunsOut() throws Exception {
        Condition cond = newCondition();
        AtomicInteger evaluations = new AtomicInteger();
        try (var held = cond.hold()) {
            assertFalse(cond.waitFor(() -> {
                evaluations.incrementAndGet();
                return false;
            }, Duration.ofMillis(20)));
        }
        assertTrue(evaluations.get() >= 1);
    }

    @Test
    void waitForKeepsWaitingUntilThePredicateHolds() throws Exception {
        Condition cond = newCondition();
        boolean[] ready = {false}; // guarded by cond's lock
        AtomicInteger evaluations = new AtomicInteger();
        Spawned<Boolean> waiter = Spawned.call(() -> {
            try (var held = cond.hold()) {
                return cond.waitFor(() -> {
                    evaluations.incrementAndGet();
                    return ready[0];
                }, Spawned.PATIENCE);
            }
        }).awaitBlocked();
        assertEquals(1, evaluations.get());
        try (var held = cond.hold()) {
            cond.signalAll(); // the predicate is still false: the waiter goes back to waiting
        }
        Spawned.awaitUntil(() -> evaluations.get() == 2);
        waiter.awaitBlocked();
        assertFalse(waiter.isDone());
        try (var held = cond.hold()) {
            ready[0] = true;
            cond.signalAll();
        }
        assertTrue(waiter.join());
        assertEquals(3, evaluations.get());
    }

    @Test
    void untimedWaitForReturnsOnceThePredicateHolds() throws Exception {
        Condition cond = newCondition();
        boolean[] ready = {false};
        Spawned<Void> waiter = Spawned.run(() -> {
            try (var held = cond.hold()) {
                cond.waitFor(() -> ready[0]);
            }
        }).awaitBlocked();
        try (var held = cond.hold()) {
            ready[0] = true;
            cond.signal();
        }
        waiter.join();
    }

    @Test
    void interruptedAwaitThrowsWithTheLockHeldAgain() throws Exception {
        Condition cond = newCondition();
        Spawned<String> waiter = Spawned.call(() -> {
            try (var held = cond.hold()) {
                try {
                    cond.await();
                    return "returned";
                } catch (InterruptedException expected) {
                    cond.signal(); // would throw if the lock were not held again
                    return "interrupted, lock held";
                }
            }
        }).awaitBlocked();
        waiter.thread().interrupt();
        assertEquals("interrupted, lock held", waiter.join());
    }

    @Test
    void awaitWhenAlreadyInterruptedThrowsAtOnce() throws Exception {
        Condition cond = newCondition();
        try (var held = cond.hold()) {
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, cond::await);
            cond.signal();
        }
    }

    /**
     * Waits until a waiter has given up waiting on {@code cond} (timeout or interrupt) and is
     * blocked re-acquiring the lock, which the test thread holds: its abandoned place in the
     * queue is then still there for a notifier to find.
     */
    private static void awaitGaveUpAndBlockedOnTheLock(Spawned<?> waiter, Condition cond) {
        Spawned.awaitUntil(() -> waiter.thread().getState() == Thread.State.WAITING
                && LockSupport.getBlocker(waiter.thread()) != cond);
    }

    @Test
    void aWaiterThatTimedOutDoesNotAbsorbASignal() throws Exception {
        // CPython spends a notification on a waiter whose timeout has expired but which has not
        // left the queue yet: it returns False and the next waiter sleeps on.
        Condition cond = newCondition();
        Spawned<Boolean> gaveUp = Spawned.call(() -> {
            try (var held = cond.hold()) {
                return cond.await(Duration.ofMillis(200));
            }
        }).awaitBlocked();
        Spawned<Void> patient = waitOnce(cond).awaitBlocked();
        try (var held = cond.hold()) {
            awaitGaveUpAndBlockedOnTheLock(gaveUp, cond);
            cond.signal();
        }
        patient.join();
        assertFalse(gaveUp.join());
    }

    @Test
    void anInterruptedWaiterDoesNotAbsorbASignal() throws Exception {
        Condition cond = newCondition();
        Spawned<Void> interrupted = waitOnce(cond).awaitBlocked();
        Spawned<Void> patient = waitOnce(cond).awaitBlocked();
        try (var held = cond.hold()) {
            interrupted.thread().interrupt();
            awaitGaveUpAndBlockedOnTheLock(interrupted, cond);
            cond.signal();
        }
        patient.join();
        assertInstanceOf(InterruptedException.class, interrupted.failure());
    }

    @Test
    void boundedBufferPassesEveryItemExactlyOnce() throws Exception {
        Condition cond = newCondition();
        Queue<Integer> buffer = new ArrayDeque<>(); // guarded by cond's lock
        int capacity = 8;
        int producers = 4;
        int itemsEach = 2_500;
        int total = producers * itemsEach;
        ConcurrentHashMap<Integer, Boolean> seen = new ConcurrentHashMap<>();
        AtomicInteger duplicates = new AtomicInteger();
        List<Spawned<Void>> all = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int base = p * itemsEach;
            all.add(Spawned.run(() -> {
                for (int i = 0; i < itemsEach; i++) {
                    try (var held = cond.hold()) {
                        cond.waitFor(() -> buffer.size() < capacity);
                        buffer.add(base + i);
                        cond.signalAll();
                    }
                }
            }));
        }
        AtomicInteger consumed = new AtomicInteger();
        for (int c = 0; c < 4; c++) {
            all.add(Spawned.run(() -> {
                for (;;) {
                    Integer item;
                    try (var held = cond.hold()) {
                        cond.waitFor(() -> !buffer.isEmpty() || consumed.get() == total);
                        if (buffer.isEmpty()) {
                            return;
                        }
                        item = buffer.remove();
                        consumed.incrementAndGet();
                        cond.signalAll(); // room for producers; after the last item, the end for consumers
                    }
                    if (seen.put(item, Boolean.TRUE) != null) {
                        duplicates.incrementAndGet();
                    }
                }
            }));
        }
        Spawned.joinAll(all);
        assertEquals(total, seen.size());
        assertEquals(0, duplicates.get());
    }

    @Test
    void toStringNamesTheLock() {
        assertTrue(newCondition().toString().startsWith("Condition["));
    }
}

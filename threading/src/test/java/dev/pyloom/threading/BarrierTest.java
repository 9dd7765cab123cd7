package dev.pyloom.threading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.testing.Spawned;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@link Barrier}, CPython's {@code BarrierTests}. */
class BarrierTest {

    private static final int PARTIES = 5;

    /** Starts {@code count} threads that each wait once, returning their indices. */
    private static List<Spawned<Integer>> arriveMany(Barrier barrier, int count) {
        List<Spawned<Integer>> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            all.add(Spawned.call(barrier::await));
        }
        return all;
    }

    /** Starts threads one by one, each blocked in the barrier before the next starts. */
    private static List<Spawned<Integer>> arriveInOrder(Barrier barrier, int count) {
        List<Spawned<Integer>> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            all.add(Spawned.call(barrier::await).awaitBlocked());
        }
        return all;
    }

    @Test
    void fewerThanOnePartyIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Barrier(0));
        assertThrows(IllegalArgumentException.class, () -> new Barrier(-3));
    }

    @Test
    void aNegativeDefaultTimeoutIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Barrier(2, null, Duration.ofMillis(-1)));
    }

    @Test
    void aNullDefaultTimeoutIsRejected() {
        // null is never a timeout: new Barrier(parties, action) is the barrier without one
        assertThrows(NullPointerException.class, () -> new Barrier(2, null, null));
    }

    @Test
    void indicesAreDistinctAndCoverZeroToPartiesMinusOneInEveryRound() throws Exception {
        Barrier barrier = new Barrier(PARTIES);
        for (int round = 0; round < 10; round++) {
            Set<Integer> indices = new HashSet<>();
            for (Spawned<Integer> party : arriveMany(barrier, PARTIES)) {
                indices.add(party.join());
            }
            assertEquals(IntStream.range(0, PARTIES).boxed().collect(Collectors.toSet()), indices);
        }
    }

    @Test
    void theIndexIsTheArrivalOrder() throws Exception {
        Barrier barrier = new Barrier(3);
        List<Spawned<Integer>> early = arriveInOrder(barrier, 2);
        assertEquals(2, barrier.await(), "the last to arrive gets parties - 1");
        assertEquals(0, early.get(0).join());
        assertEquals(1, early.get(1).join());
    }

    @Test
    void theActionRunsOncePerRoundBeforeAnyPartyIsReleased() throws Exception {
        AtomicInteger actions = new AtomicInteger();
        Barrier barrier = new Barrier(PARTIES, actions::incrementAndGet);
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        int rounds = 5;
        List<Spawned<Void>> parties = Spawned.runMany(PARTIES, () -> {
            for (int round = 1; round <= rounds; round++) {
                barrier.await();
                int expected = 2 * round - 1; // this round's action, and the checkpoint's before it
                if (actions.get() != expected) {
                    wrong.add("round " + round + ": released after " + actions.get() + " actions, not " + expected);
                }
                barrier.await(); // a checkpoint: nobody races ahead while others still check
            }
        });
        Spawned.joinAll(parties);
        assertEquals(List.of(), List.copyOf(wrong));
        assertEquals(2 * rounds, actions.get());
    }

    @Test
    void theActionRunsInTheLastThreadToArrive() throws Exception {
        List<Thread> ranIn = new ArrayList<>();
        Barrier barrier = new Barrier(2, () -> ranIn.add(Thread.currentThread()));
        Spawned<Integer> first = Spawned.call(barrier::await).awaitBlocked();
        barrier.await();
        first.join();
        assertEquals(List.of(Thread.currentThread()), ranIn);
    }

    @Test
    void aFailingActionBreaksTheBarrier() throws Exception {
        IllegalStateException boom = new IllegalStateException("action failed");
        Barrier barrier = new Barrier(3, () -> {
            throw boom;
        });
        List<Spawned<Integer>> waiting = arriveInOrder(barrier, 2);
        IllegalStateException thrown = assertThrows(IllegalStateException.class, barrier::await);
        assertSame(boom, thrown, "the last arrival gets the action's own exception");
        for (Spawned<Integer> party : waiting) {
            assertInstanceOf(BrokenBarrierException.class, party.failure());
        }
        assertTrue(barrier.isBroken());
    }

    @Test
    void abortBreaksTheBarrierForWaitersAndLaterArrivals() throws Exception {
        Barrier barrier = new Barrier(PARTIES);
        List<Spawned<Integer>> waiting = arriveInOrder(barrier, PARTIES - 1);
        barrier.abort();
        for (Spawned<Integer> party : waiting) {
            assertInstanceOf(BrokenBarrierException.class, party.failure());
        }
        assertTrue(barrier.isBroken());
        assertThrows(BrokenBarrierException.class, barrier::await);
    }

    @Test
    void aTimeoutBreaksTheBarrierForEveryWaiter() throws Exception {
        Barrier barrier = new Barrier(3);
        Spawned<Integer> patient = Spawned.call(barrier::await).awaitBlocked();
        BrokenBarrierException e = assertThrows(BrokenBarrierException.class,
                () -> barrier.await(Duration.ofMillis(10)));
        assertEquals("barrier timed out waiting for 1 of 3 parties", e.getMessage());
        assertInstanceOf(BrokenBarrierException.class, patient.failure());
        assertTrue(barrier.isBroken());
    }

    @Test
    void theDefaultTimeoutApplies() throws Exception {
        Barrier barrier = new Barrier(2, null, Duration.ofMillis(10));
        assertThrows(BrokenBarrierException.class, barrier::await);
        assertTrue(barrier.isBroken());
    }

    @Test
    void resetBreaksTheCurrentRoundAndMakesTheBarrierUsable() throws Exception {
        Barrier barrier = new Barrier(3);
        List<Spawned<Integer>> waiting = arriveInOrder(barrier, 2);
        barrier.reset();
        for (Spawned<Integer> party : waiting) {
            assertInstanceOf(BrokenBarrierException.class, party.failure());
        }
        assertFalse(barrier.isBroken());
        assertEquals(0, barrier.nWaiting());
        Set<Integer> indices = new HashSet<>();
        for (Spawned<Integer> party : arriveMany(barrier, 3)) {
            indices.add(party.join());
        }
        assertEquals(Set.of(0, 1, 2), indices);
    }

    @Test
    void resetAfterAbortMakesTheBarrierUsable() throws Exception {
        Barrier barrier = new Barrier(2);
        barrier.abort();
        barrier.reset();
        assertFalse(barrier.isBroken());
        Spawned<Integer> other = Spawned.call(barrier::await);
        barrier.await();
        other.join();
    }

    @Test
    void nWaitingCountsThePartiesInTheCurrentRound() throws Exception {
        Barrier barrier = new Barrier(3);
        assertEquals(0, barrier.nWaiting());
        List<Spawned<Integer>> waiting = arriveInOrder(barrier, 2);
        assertEquals(2, barrier.nWaiting());
        barrier.await();
        Spawned.joinAll(waiting);
        assertEquals(0, barrier.nWaiting());
        assertEquals(3, barrier.parties());
    }

    @Test
    void aSinglePartyBarrierNeverWaits() throws Exception {
        AtomicInteger actions = new AtomicInteger();
        Barrier barrier = new Barrier(1, actions::incrementAndGet);
        assertEquals(0, barrier.await());
        assertEquals(0, barrier.await());
        assertEquals(2, actions.get());
    }

    @Test
    void anInterruptedWaiterBreaksTheBarrier() throws Exception {
        Barrier barrier = new Barrier(3);
        Spawned<Integer> interrupted = Spawned.call(barrier::await).awaitBlocked();
        Spawned<Integer> other = Spawned.call(barrier::await).awaitBlocked();
        interrupted.thread().interrupt();
        assertInstanceOf(InterruptedException.class, interrupted.failure());
        assertInstanceOf(BrokenBarrierException.class, other.failure());
        assertTrue(barrier.isBroken());
    }

    @Test
    void aThreadThatArrivesInterruptedBreaksTheBarrier() throws Exception {
        Barrier barrier = new Barrier(2);
        Spawned<Integer> waiting = Spawned.call(barrier::await).awaitBlocked();
        Spawned<Integer> interrupted = Spawned.call(() -> {
            Thread.currentThread().interrupt();
            return barrier.await();
        });
        assertInstanceOf(InterruptedException.class, interrupted.failure());
        assertInstanceOf(BrokenBarrierException.class, waiting.failure(), "nobody is left waiting forever");
        assertTrue(barrier.isBroken());
    }

    @Test
    void manyRoundsWithManyVirtualThreads() throws Exception {
        int parties = 1_000;
        AtomicInteger actions = new AtomicInteger();
        Barrier barrier = new Barrier(parties, actions::incrementAndGet);
        List<Spawned<Void>> all = Spawned.runMany(parties, () -> {
            for (int round = 0; round < 20; round++) {
                barrier.await();
            }
        });
        Spawned.joinAll(all);
        assertEquals(20, actions.get());
        Spawned.awaitUntil(() -> barrier.nWaiting() == 0);
    }
}

package dev.pyloom.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.testing.Spawned;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Races around a remote consumer: acknowledgement syncs against close and recalls, an interrupt against a loan arriving. */
class QueueRacesTest {

    /** qsize/taskDone loops (syncTaken) in some threads, gets in others, and close() from another: nothing hangs, nothing is lost. */
    @Test
    void syncTakenRacingWithCloseAndRecalls() throws Exception {
        for (int round = 0; round < 30; round++) {
            JoinableQueue<Integer> owner = JoinableQueue.of(Integer.class);
            for (int i = 0; i < 2000; i++) {
                owner.put(i);
            }
            JoinableQueue<Integer> view = JoinableQueue.fromHandle(owner.toHandle(), Integer.class);
            Set<Integer> got = java.util.concurrent.ConcurrentHashMap.newKeySet();
            CountDownLatch started = new CountDownLatch(4);
            List<Spawned<Void>> all = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                all.add(Spawned.run(() -> {
                    started.countDown();
                    try {
                        for (;;) {
                            Integer x = view.get(Duration.ofSeconds(5));
                            assertTrue(got.add(x), "twice " + x);
                            view.taskDone();
                        }
                    } catch (IOException | IllegalStateException closed) {
                        // closed under us
                    }
                }));
            }
            for (int t = 0; t < 2; t++) {
                all.add(Spawned.run(() -> {
                    started.countDown();
                    try {
                        for (;;) {
                            view.qsize();
                        }
                    } catch (IOException | IllegalStateException closed) {
                        // closed under us
                    }
                }));
            }
            started.await();
            Spawned.awaitUntil(() -> got.size() >= 100);
            if (round % 2 == 0) {
                assertTrue(owner.getNowait() >= 0); // a recall at the same time
            }
            view.close();
            Spawned.joinAll(all);
            int rest = 0;
            Set<Integer> ownerGot = new HashSet<>();
            for (;;) {
                try {
                    Integer x = owner.getNowait();
                    assertTrue(ownerGot.add(x) && !got.contains(x), "twice " + x);
                    rest++;
                } catch (QueueEmptyException e) {
                    break;
                }
            }
            int ownerFirst = round % 2 == 0 ? 1 : 0;
            assertEquals(2000, got.size() + rest + ownerFirst, "round " + round);
        }
    }

    /**
     * close() while a get's reply (one item, or a loan) may be on its way: once close() returns,
     * the item is the getter's or back in the owner's queue, where even a getNowait() finds it.
     */
    @Test
    void closeWithAGetInFlightHasTheReplyBackBeforeItReturns() throws Exception {
        for (int round = 0; round < 200; round++) {
            boolean ownerFirst = round % 2 == 0; // then no loans: the reply is one item outright
            Queue<Integer> owner = Queue.of(Integer.class);
            if (ownerFirst) {
                owner.put(-1);
                assertEquals(-1, owner.get());
            }
            Queue<Integer> view = Queue.fromHandle(owner.toHandle(), Integer.class);
            view.put(0);
            assertEquals(0, view.get(Duration.ofSeconds(30))); // attached, and a consumer
            List<Integer> got = java.util.Collections.synchronizedList(new ArrayList<>());
            Spawned<Void> getter = Spawned.run(() -> {
                try {
                    got.add(view.get(Duration.ofSeconds(30)));
                } catch (IOException | IllegalStateException closed) {
                    // closed under it
                }
            });
            owner.put(1);
            view.close();
            getter.join();
            int back = 0;
            try {
                assertEquals(1, owner.getNowait(), "round " + round);
                back = 1;
            } catch (QueueEmptyException e) {
                // the getter has it, or it is lost
            }
            assertEquals(1, got.size() + back, "round " + round + ": got " + got + ", back " + back);
        }
    }

    /** A getter interrupted while a reply of many items (a loan) is on its way: no item lost or duplicated. */
    @Test
    void getterInterruptedWhileALoanArrives() throws Exception {
        for (int round = 0; round < 50; round++) {
            Queue<Integer> owner = Queue.of(Integer.class);
            try (Queue<Integer> view = Queue.fromHandle(owner.toHandle(), Integer.class)) {
                List<Integer> got = new ArrayList<>();
                Thread getter = Thread.ofPlatform().start(() -> {
                    for (;;) {
                        try {
                            got.add(view.get(Duration.ofSeconds(30)));
                            if (got.size() == 600) {
                                return;
                            }
                        } catch (InterruptedIOException e) {
                            Thread.interrupted();
                        } catch (Exception e) {
                            throw new RuntimeException(e);
                        }
                    }
                });
                Spawned.awaitUntil(() -> getter.getState() == Thread.State.WAITING || getter.getState() == Thread.State.TIMED_WAITING);
                for (int i = 0; i < 600; i++) {
                    owner.put(i);
                    if (i == round * 5) {
                        getter.interrupt();
                    }
                }
                getter.join();
                for (int i = 0; i < 600; i++) {
                    assertEquals(i, got.get(i), "round " + round);
                }
            }
        }
    }
}

package dev.pyloom.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.testing.Spawned;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Many views of one queue: their counts, the owner closing its own view, empty and null items, short timeouts. */
class QueueViewsTest {

    /**
     * A consumer's qsize must count its own gets. syncTaken() skips the sync while another thread of
     * the same process has a get request in flight, assuming the owner already applied the earlier
     * tooks; but the owner reads the gets connection in its own time while qsize travels on the
     * control lane. Checker: qsize <= N - (gets completed before the qsize call began).
     */
    @Test
    void qsizeCountsOwnGetsWhileAnotherThreadOfTheProcessIsAsking() throws Exception {
        int n = 20_000;
        Queue<Integer> owner = Queue.of(Integer.class);
        for (int i = 0; i < n; i++) {
            owner.put(i);
        }
        try (Queue<Integer> consumer = Queue.fromHandle(owner.toHandle(), Integer.class)) {
            consumer.qsize(); // attaches the control lane
            AtomicLong completed = new AtomicLong();
            AtomicBoolean done = new AtomicBoolean();
            Spawned<Void> getter = Spawned.run(() -> {
                for (int i = 0; i < n; i++) {
                    assertEquals(i, consumer.get(Duration.ofSeconds(30)));
                    completed.incrementAndGet();
                }
                done.set(true);
            });
            List<String> violations = new ArrayList<>();
            int checks = 0;
            while (!done.get()) {
                long before = completed.get();
                int q = consumer.qsize();
                checks++;
                if (q > n - before) {
                    violations.add("qsize " + q + " after " + before + " own gets (at most " + (n - before) + ")");
                }
            }
            getter.join();
            assertTrue(violations.isEmpty(), violations.size() + " of " + checks + " checks: "
                    + violations.subList(0, Math.min(5, violations.size())));
        }
    }

    /** The owner closing its own Queue object: remote consumers go on getting (the store stays). */
    @Test
    void ownerClosesItsQueueObjectWhileRemoteConsumersContinue() throws Exception {
        Queue<Integer> owner = Queue.of(Integer.class);
        for (int i = 0; i < 1000; i++) {
            owner.put(i);
        }
        String handle = owner.toHandle();
        try (Queue<Integer> a = Queue.fromHandle(handle, Integer.class)) {
            assertEquals(0, a.get(Duration.ofSeconds(5)));
            owner.close();
            try (Queue<Integer> b = Queue.fromHandle(handle, Integer.class)) {
                assertEquals(1, b.get(Duration.ofSeconds(5)), "b recalls a's loan");
                for (int i = 2; i < 1000; i++) {
                    assertEquals(i, (i % 2 == 0 ? a : b).get(Duration.ofSeconds(5)));
                }
                assertThrows(QueueEmptyException.class, () -> a.get(Duration.ofMillis(10)));
                assertThrows(QueueEmptyException.class, b::getNowait);
            }
        }
    }

    /** Empty strings and nulls through a loan, a recall and a close. */
    @Test
    void emptyAndNullItemsThroughLoans() throws Exception {
        Queue<Object> owner = Queue.create();
        for (int i = 0; i < 600; i++) {
            owner.put(i % 3 == 0 ? "" : i % 3 == 1 ? null : List.of());
        }
        try (Queue<Object> a = Queue.fromHandle(owner.toHandle(), Object.class)) {
            assertEquals("", a.get(Duration.ofSeconds(5)));
            assertNull(a.get(Duration.ofSeconds(5)));
            try (Queue<Object> b = Queue.fromHandle(owner.toHandle(), Object.class)) {
                assertEquals(List.of(), b.get(Duration.ofSeconds(5)));
            }
            assertEquals("", a.get(Duration.ofSeconds(5)));
            Spawned.awaitUntil(() -> a.qsize() == 596);
        }
        assertEquals(596, owner.qsize());
        for (int i = 4; i < 600; i++) {
            Object o = owner.get(Duration.ofSeconds(5));
            Object want = i % 3 == 0 ? "" : i % 3 == 1 ? null : List.of();
            assertEquals(want, o, "item " + i);
        }
    }

    /** 12 views on one queue, two of them producers, getting with short timeouts; each view closes at some point. */
    @Test
    void twelveViewsShortTimeoutsNothingLostOrDuplicated() throws Exception {
        JoinableQueue<long[]> owner = JoinableQueue.of(long[].class);
        int producers = 2;
        int each = 5_000;
        int consumers = 12;
        String handle = owner.toHandle();
        ConcurrentLinkedQueue<long[]> seen = new ConcurrentLinkedQueue<>();
        AtomicInteger taken = new AtomicInteger();
        List<Spawned<Void>> all = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int pid = p;
            all.add(Spawned.run(() -> {
                try (JoinableQueue<long[]> q = JoinableQueue.fromHandle(handle, long[].class)) {
                    for (int i = 0; i < each; i++) {
                        q.put(new long[] {pid, i});
                    }
                }
            }));
        }
        for (int c = 0; c < consumers; c++) {
            int cid = c;
            all.add(Spawned.run(() -> {
                long[] last = {-1, -1};
                JoinableQueue<long[]> q = JoinableQueue.fromHandle(handle, long[].class);
                try {
                    int mine = 0;
                    while (taken.get() < producers * each) {
                        long[] item;
                        try {
                            item = q.get(Duration.ofMillis(cid % 3 == 0 ? 0 : 20));
                        } catch (QueueEmptyException e) {
                            continue;
                        }
                        mine++;
                        taken.incrementAndGet();
                        if (item[1] <= last[(int) item[0]]) {
                            throw new AssertionError("consumer " + cid + " saw producer " + item[0] + " go " + last[(int) item[0]] + " -> " + item[1]);
                        }
                        last[(int) item[0]] = item[1];
                        seen.add(item);
                        q.taskDone();
                        if (mine == 300 * (cid + 1)) { // leave and come back as a new view
                            q.close();
                            q = JoinableQueue.fromHandle(handle, long[].class);
                            last[0] = -1; // a new view is a new consumer as far as order goes? no: same process; keep order check per view
                            last[1] = -1;
                        }
                    }
                } finally {
                    q.close();
                }
            }));
        }
        Spawned.joinAll(all);
        assertEquals(producers * each, seen.size());
        assertEquals(producers * each, seen.stream().map(x -> x[0] + ":" + x[1]).distinct().count());
        owner.join();
        assertEquals(0, owner.qsize());
    }
}

package dev.pyloom.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.testing.Spawned;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Queues under races: a close racing replies in flight; many getters, joiners and leavers. */
class QueueLoanStressTest {

    /** Rounds of the closing race, and items per producer under churn: {@code -Dqueue.rounds=40 -Dqueue.items=20000} for a longer soak. */
    private static final int ROUNDS = Integer.getInteger("queue.rounds", 3);

    /**
     * A consumer closes while its get is in progress and a producer keeps putting. Every item must
     * end up either returned by a get or still in the queue. ownerFirst: the owner has taken an
     * item, so there are no loans and each get is answered with one item outright.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aConsumerClosingMidStreamLosesNothingItHadNotTaken(boolean ownerFirst) throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            Queue<Integer> owner = Queue.of(Integer.class);
            int n = 2_000;
            if (ownerFirst) {
                owner.put(-1);
                assertEquals(-1, owner.get());
            }
            Queue<Integer> consumer = Queue.fromHandle(owner.toHandle(), Integer.class);
            List<Integer> got = Collections.synchronizedList(new ArrayList<>());
            Spawned<Void> getter = Spawned.run(() -> {
                try {
                    for (;;) {
                        got.add(consumer.get());
                    }
                } catch (IOException | IllegalStateException closed) {
                    // the queue was closed under it
                }
            });
            Spawned<Void> producer = Spawned.run(() -> {
                for (int i = 0; i < n; i++) {
                    owner.put(i);
                }
            });
            int stopAt = ThreadLocalRandom.current().nextInt(1, n / 2);
            Spawned.awaitUntil(() -> got.size() >= stopAt);
            consumer.close();
            getter.join();
            producer.join();
            List<Integer> drained = new ArrayList<>();
            for (;;) {
                try {
                    drained.add(owner.get(Duration.ofMillis(500)));
                } catch (QueueEmptyException e) {
                    break;
                }
            }
            TreeSet<Integer> all = new TreeSet<>(got);
            all.addAll(drained);
            assertEquals(got.size() + drained.size(), all.size(), "round " + round + ": duplicates");
            TreeSet<Integer> missing = new TreeSet<>();
            for (int i = 0; i < n; i++) {
                if (!all.contains(i)) {
                    missing.add(i);
                }
            }
            assertTrue(missing.isEmpty(), "round " + round + ": lost " + missing + " (consumer got "
                    + got.size() + ", last " + (got.isEmpty() ? null : got.get(got.size() - 1)) + ")");
            owner.close();
        }
    }

    record Item(int producer, int seq) {}

    /**
     * Producers (the owner and a remote one), one remote process with several getters (forever,
     * timeouts, get_nowait, interrupts), while a second remote consumer joins and leaves
     * repeatedly and the owner takes some itself. Checks: once each, nothing lost, and each getter
     * sees each producer's items in order.
     */
    @ParameterizedTest
    @ValueSource(ints = {0})
    void manyGettersJoinersAndLeaversKeepEveryPromise(int seed) throws Exception {
        Queue<Item> owner = Queue.of(Item.class);
        Queue<Item> remoteProducer = Queue.fromHandle(owner.toHandle(), Item.class);
        Queue<Item> a = Queue.fromHandle(owner.toHandle(), Item.class);
        int each = Integer.getInteger("queue.items", 5_000);
        Map<String, List<Item>> seen = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger interruptsHonoured = new AtomicInteger();
        List<Spawned<Void>> producers = List.of(
                Spawned.run(() -> {
                    for (int i = 0; i < each; i++) {
                        owner.put(new Item(0, i));
                    }
                }),
                Spawned.run(() -> {
                    for (int i = 0; i < each; i++) {
                        remoteProducer.put(new Item(1, i));
                    }
                    remoteProducer.close();
                }));
        List<Spawned<Void>> getters = new ArrayList<>();
        for (int g = 0; g < 4; g++) {
            int kind = g;
            String name = "a" + g;
            List<Item> mine = Collections.synchronizedList(new ArrayList<>());
            seen.put(name, mine);
            getters.add(Spawned.run(() -> {
                while (!stop.get()) {
                    try {
                        Item item = switch (kind) {
                            case 0 -> a.get(Duration.ofMillis(50));
                            case 1 -> a.getNowait();
                            case 2 -> a.get(Duration.ofMillis(1));
                            default -> a.get(Duration.ofMillis(300));
                        };
                        mine.add(item);
                    } catch (QueueEmptyException e) {
                        // again
                    } catch (InterruptedIOException e) {
                        Thread.interrupted();
                        interruptsHonoured.incrementAndGet();
                    } catch (IOException e) {
                        java.io.StringWriter w = new java.io.StringWriter();
                        e.printStackTrace(new java.io.PrintWriter(w));
                        System.err.println("GETTER FAILED " + name + ": " + w);
                        Map<String, Integer> names = new java.util.TreeMap<>();
                        StringBuilder stacks = new StringBuilder();
                        for (Map.Entry<Thread, StackTraceElement[]> t : Thread.getAllStackTraces().entrySet()) {
                            names.merge(t.getKey().getName().replaceAll("[0-9]+", "#"), 1, Integer::sum);
                            if (t.getKey().getName().contains("accept") || t.getKey().getName().contains("handshake")) {
                                stacks.append(t.getKey()).append(java.util.Arrays.toString(t.getValue())).append('\n');
                            }
                        }
                        System.err.println("THREADS " + names + " got " + mine.size() + "\n" + stacks);
                        stop.set(true);
                        throw e;
                    }
                }
            }));
        }
        // interrupts at random into the getters
        Spawned<Void> interrupter = Spawned.run(() -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (!stop.get()) {
                getters.get(random.nextInt(getters.size())).thread().interrupt();
                java.util.concurrent.locks.LockSupport.parkNanos(random.nextInt(200_000, 3_000_000)); // pacing, not synchronisation
            }
        });
        // b joins and leaves
        Spawned<Void> joiner = Spawned.run(() -> {
            int round = 0;
            while (!stop.get()) {
                List<Item> mine = Collections.synchronizedList(new ArrayList<>());
                seen.put("b" + round++, mine);
                try (Queue<Item> b = Queue.fromHandle(owner.toHandle(), Item.class)) {
                    for (int i = 0; i < 20; i++) {
                        try {
                            mine.add(b.get(Duration.ofMillis(20)));
                        } catch (QueueEmptyException e) {
                            // again
                        }
                    }
                }
            }
        });
        List<Item> ownerSeen = Collections.synchronizedList(new ArrayList<>());
        seen.put("owner", ownerSeen);
        for (int i = 0; i < 200; i++) {
            try {
                ownerSeen.add(owner.get(Duration.ofMillis(5)));
            } catch (QueueEmptyException e) {
                // again
            }
        }
        Spawned.joinAll(producers);
        // wait until everything is taken or nothing moves for a while
        int total = 2 * each;
        long lastCount = -1;
        long lastChange = System.nanoTime();
        for (;;) {
            long count = seen.values().stream().mapToLong(List::size).sum();
            if (count >= total) {
                break;
            }
            if (count != lastCount) {
                lastCount = count;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > 10_000_000_000L) {
                break;
            }
            Thread.onSpinWait();
            Thread.yield();
        }
        stop.set(true);
        interrupter.join();
        Spawned.joinAll(getters);
        joiner.join();
        a.close();
        for (;;) {
            try {
                ownerSeen.add(owner.get(Duration.ofMillis(500)));
            } catch (QueueEmptyException e) {
                break;
            }
        }
        Map<Item, String> where = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, List<Item>> e : seen.entrySet()) {
            int[] last = {-1, -1};
            for (Item item : e.getValue()) {
                String before = where.put(item, e.getKey());
                if (before != null) {
                    problems.add("twice: " + item + " in " + before + " and " + e.getKey());
                }
                if (!e.getKey().equals("owner") || true) {
                    if (item.seq() <= last[item.producer()]) {
                        problems.add("out of order in " + e.getKey() + ": " + item + " after seq " + last[item.producer()]);
                    }
                    last[item.producer()] = Math.max(last[item.producer()], item.seq());
                }
            }
        }
        for (int p = 0; p < 2; p++) {
            for (int i = 0; i < each; i++) {
                if (!where.containsKey(new Item(p, i))) {
                    problems.add("lost: " + new Item(p, i));
                }
            }
        }
        assertTrue(problems.isEmpty(), problems.size() + " problems (interrupts honoured "
                + interruptsHonoured + "): " + problems.subList(0, Math.min(20, problems.size())));
        owner.close();
    }
}

package dev.pyloom.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.testing.Spawned;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Items around the 1 MiB loan cap and larger, a bounded joinable queue, putters blocked while loans are recalled. */
class QueueLoanSizesTest {

    record Big(int producer, int seq, String pad) {}

    static final int[] SIZES = {1, 1000, (1 << 20) - 200, (1 << 20) - 20, 1 << 20, (1 << 20) + 10, 300_000, 3 << 20, 6 << 20};

    @Test
    void bigItemsBoundedJoinableWithRecalls() throws Exception {
        JoinableQueue<Big> owner = JoinableQueue.of(Big.class, 6);
        int each = 150;
        List<Spawned<Void>> producers = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            int id = p;
            producers.add(Spawned.run(() -> {
                try (JoinableQueue<Big> put = JoinableQueue.fromHandle(owner.toHandle(), Big.class)) {
                    for (int i = 0; i < each; i++) {
                        put.put(new Big(id, i, "x".repeat(SIZES[(i * 7 + id) % SIZES.length])));
                    }
                }
            }));
        }
        Map<String, List<int[]>> seen = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        JoinableQueue<Big> a = JoinableQueue.fromHandle(owner.toHandle(), Big.class);
        List<int[]> aSeen = Collections.synchronizedList(new ArrayList<>());
        seen.put("a", aSeen);
        List<Spawned<Void>> aGetters = new ArrayList<>();
        for (int g = 0; g < 3; g++) {
            aGetters.add(Spawned.run(() -> {
                while (!stop.get()) {
                    try {
                        Big b = a.get(Duration.ofMillis(30));
                        aSeen.add(new int[] {b.producer(), b.seq()});
                        a.taskDone();
                    } catch (QueueEmptyException e) {
                        // again
                    }
                }
            }));
        }
        Spawned<Void> joiner = Spawned.run(() -> {
            int round = 0;
            while (!stop.get()) {
                List<int[]> mine = Collections.synchronizedList(new ArrayList<>());
                seen.put("b" + round++, mine);
                try (JoinableQueue<Big> b = JoinableQueue.fromHandle(owner.toHandle(), Big.class)) {
                    for (int i = 0; i < 3; i++) {
                        try {
                            Big x = b.get(Duration.ofMillis(30));
                            mine.add(new int[] {x.producer(), x.seq()});
                            b.taskDone();
                        } catch (QueueEmptyException e) {
                            // again
                        }
                    }
                }
            }
        });
        List<int[]> ownerSeen = Collections.synchronizedList(new ArrayList<>());
        seen.put("owner", ownerSeen);
        for (int i = 0; i < 20; i++) {
            try {
                Big x = owner.get(Duration.ofMillis(50));
                ownerSeen.add(new int[] {x.producer(), x.seq()});
                owner.taskDone();
            } catch (QueueEmptyException e) {
                // again
            }
        }
        Spawned.joinAll(producers);
        Spawned<Void> join = Spawned.run(owner::join);
        join.join();
        stop.set(true);
        Spawned.joinAll(aGetters);
        joiner.join();
        a.close();
        List<String> problems = new ArrayList<>();
        Map<List<Integer>, String> where = new HashMap<>();
        for (Map.Entry<String, List<int[]>> e : seen.entrySet()) {
            int[] last = {-1, -1};
            for (int[] item : e.getValue()) {
                String before = where.put(List.of(item[0], item[1]), e.getKey());
                if (before != null) {
                    problems.add("twice " + item[0] + "/" + item[1]);
                }
                if (!e.getKey().equals("a") && item[1] <= last[item[0]]) {
                    problems.add("order in " + e.getKey() + ": " + item[0] + "/" + item[1] + " after " + last[item[0]]);
                }
                last[item[0]] = Math.max(last[item[0]], item[1]);
            }
        }
        assertEquals(2 * each, where.size(), "distinct items seen; problems " + problems);
        assertTrue(problems.isEmpty(), problems.toString());
        owner.close();
    }
}

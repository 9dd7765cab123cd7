package dev.pyloom.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pyloom.multiprocessing.AsyncResult;
import dev.pyloom.multiprocessing.Pool;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClusterPoolTest {

    private static LoopbackCluster cluster;

    @BeforeAll
    static void startNodes() {
        cluster = new LoopbackCluster();
        cluster.start("a", 2);
        cluster.start("b", 1);
    }

    @AfterAll
    static void stopNodes() {
        cluster.close();
    }

    @Test
    void mapRunsOnTheNodes() throws Exception {
        try (Pool pool = cluster.pool(2)) {
            List<Integer> items = IntStream.range(0, 1000).boxed().toList();
            assertEquals(items.stream().map(x -> x * x).toList(), pool.map(ClusterTasks::square, items));
            assertEquals(3, pool.processes());
        }
    }

    @Test
    void applyAsyncWithCallback() throws Exception {
        List<Integer> seen = new CopyOnWriteArrayList<>();
        try (Pool pool = cluster.pool(2)) {
            AsyncResult<Integer> result = pool.applyAsync(ClusterTasks::square, 7, seen::add, null);
            assertEquals(49, result.get());
        }
        assertEquals(List.of(49), seen);
    }
}

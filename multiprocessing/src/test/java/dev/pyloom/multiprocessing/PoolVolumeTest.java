package dev.pyloom.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Many small tasks through map and through applyAsync: every result delivered exactly once. A
 * million items with the default chunk size make chunks of 62,500, frames of about 400 KiB each
 * way: larger than the socket buffers, sent ahead to busy workers.
 */
@ExtendWith(NoChildrenLeft.class)
class PoolVolumeTest {

    private static final int TASKS = 100_000;

    private static Pool pool;

    @BeforeAll
    static void startPool() {
        pool = new Pool(4);
    }

    @AfterAll
    static void stopPool() throws InterruptedException {
        pool.close();
        pool.join();
    }

    @Test
    void mapDeliversEveryResultOnceInOrder() throws Exception {
        List<Integer> items = IntStream.range(0, TASKS).boxed().toList();
        assertEquals(items, pool.map(Tasks::identity, items));
        List<Integer> viaImap = new ArrayList<>(TASKS);
        pool.imap(Tasks::identity, items, 1000).forEachRemaining(viaImap::add);
        assertEquals(items, viaImap);
    }

    @Test
    void aMillionItemsThroughMapWithTheDefaultChunkSize() throws Exception {
        List<Integer> items = IntStream.range(0, 1_000_000).boxed().toList();
        assertEquals(items, pool.mapAsync(Tasks::identity, items).get(Duration.ofSeconds(100)));
    }

    @Test
    void applyAsyncDeliversEveryResultOnce() throws Exception {
        AtomicIntegerArray callbacks = new AtomicIntegerArray(TASKS);
        List<AsyncResult<Integer>> results = new ArrayList<>(TASKS);
        for (int i = 0; i < TASKS; i++) {
            results.add(pool.applyAsync(Tasks::identity, i, callbacks::incrementAndGet, null));
        }
        for (int i = 0; i < TASKS; i++) {
            assertEquals(i, results.get(i).get());
        }
        for (int i = 0; i < TASKS; i++) {
            assertEquals(1, callbacks.get(i), "callbacks for item " + i);
        }
    }
}

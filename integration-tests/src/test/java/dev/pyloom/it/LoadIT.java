package dev.pyloom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.ipc.Queue;
import dev.pyloom.ipc.QueueEmptyException;
import dev.pyloom.it.programs.Load;
import dev.pyloom.multiprocessing.Pool;
import dev.pyloom.multiprocessing.PyProcess;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Volumes users reach: a million tasks through {@code map}, two hundred thousand through
 * {@code applyAsync} with callbacks, a million messages through a queue between processes. Every
 * one arrives exactly once, in order where the API promises order. What each run took is
 * printed (the suite asserts no timing: speed is measured in {@code benchmarks/}).
 */
class LoadIT {

    private static final Duration LIMIT = Duration.ofMinutes(3);

    @Test
    void aMillionTasksThroughMapWithTheDefaultChunkSize() {
        assertTimeoutPreemptively(LIMIT, () -> {
            List<Integer> items = IntStream.range(0, 1_000_000).boxed().toList();
            try (Pool pool = new Pool(2)) {
                long start = System.nanoTime();
                List<Integer> results = pool.map(Load::inc, items);
                report("map of 1,000,000 items, Pool(2)", start);
                assertEquals(items.size(), results.size());
                for (int i = 0; i < items.size(); i++) {
                    if (results.get(i) != i + 1) {
                        throw new AssertionError("result " + i + " is " + results.get(i));
                    }
                }
                pool.close();
                pool.join();
            }
        });
    }

    @Test
    void twoHundredThousandApplyAsyncCallsEachCalledBackOnce() {
        assertTimeoutPreemptively(LIMIT, () -> {
            int count = 200_000;
            AtomicIntegerArray calledBack = new AtomicIntegerArray(count);
            AtomicInteger wrong = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            try (Pool pool = new Pool(2)) {
                long start = System.nanoTime();
                for (int i = 0; i < count; i++) {
                    int item = i;
                    pool.applyAsync(Load::inc, item, result -> {
                        if (result != item + 1) {
                            wrong.incrementAndGet();
                        }
                        calledBack.incrementAndGet(item);
                    }, error -> failed.incrementAndGet());
                }
                pool.close();
                pool.join(); // returns once every callback has run
                report("applyAsync of 200,000 tasks with callbacks, Pool(2)", start);
            }
            assertEquals(0, failed.get(), "error callbacks");
            assertEquals(0, wrong.get(), "results handed to the wrong callback");
            for (int i = 0; i < count; i++) {
                if (calledBack.get(i) != 1) {
                    throw new AssertionError("task " + i + " was called back " + calledBack.get(i) + " times");
                }
            }
        });
    }

    @Test
    void aMillionMessagesThroughAQueueFromAnotherProcessInOrder() {
        assertTimeoutPreemptively(LIMIT, () -> {
            int count = 1_000_000;
            Queue<Integer> queue = Queue.of(Integer.class);
            PyProcess producer = new PyProcess(Load::produce, queue, count);
            try {
                long start = System.nanoTime();
                producer.start();
                for (int i = 0; i < count; i++) {
                    int got;
                    try {
                        got = queue.get(Duration.ofSeconds(60));
                    } catch (QueueEmptyException stalled) {
                        throw new AssertionError("no message for 60 s after " + i + " of " + count + "; the producer is "
                                + (producer.isAlive() ? "alive" : "gone, exit code " + producer.exitCode())
                                + ", the queue holds " + queue.qsize(), stalled);
                    }
                    if (got != i) {
                        throw new AssertionError("message " + i + " is " + got);
                    }
                }
                report("1,000,000 queue messages from a child process", start);
                assertTrue(producer.join(Duration.ofSeconds(60)));
                assertTrue(queue.empty(), "nothing more than was put");
            } finally {
                Children.reap(producer);
            }
            assertEquals(OptionalInt.of(0), producer.exitCode());
        });
    }

    private static void report(String what, long startNanos) {
        System.out.printf("%s: %.2f s%n", what, (System.nanoTime() - startNanos) / 1e9);
    }
}

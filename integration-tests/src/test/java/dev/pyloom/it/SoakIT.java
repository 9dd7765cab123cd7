package dev.pyloom.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.asyncio.Asyncio;
import dev.pyloom.asyncio.Task;
import dev.pyloom.ipc.Client;
import dev.pyloom.ipc.Connection;
import dev.pyloom.ipc.Listener;
import dev.pyloom.ipc.Pipe;
import dev.pyloom.ipc.Queue;
import dev.pyloom.it.programs.Echoes;
import dev.pyloom.it.programs.Load;
import dev.pyloom.multiprocessing.Pool;
import dev.pyloom.multiprocessing.PyProcess;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Everything at once, again and again, for minutes ({@code -Dsoak=true}, for
 * {@code -Dsoak.minutes=N} minutes, 5 by default): pools made, used and closed, children
 * talking over pipes and queues, event loops with thousands of coroutines, connections through a
 * listener. At the end this JVM holds no more memory (after a collection), threads or file
 * descriptors than after the first round, give or take a little, and no child is left.
 */
@EnabledIfSystemProperty(named = "soak", matches = "true")
class SoakIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Test
    @Timeout(value = 1, unit = TimeUnit.DAYS) // the build's default per-test limit is shorter than a soak
    void roundAfterRoundLeavesNothingBehind() throws Exception {
        Duration length = Duration.ofMinutes(Long.getLong("soak.minutes", 5));
        assertTimeoutPreemptively(length.plusMinutes(5), () -> soak(length));
    }

    private static void soak(Duration length) throws Exception {
        round();
        Footprint first = Footprint.now();
        long end = System.nanoTime() + length.toNanos();
        int rounds = 1;
        while (System.nanoTime() - end < 0) {
            round();
            rounds++;
        }
        Footprint last = Footprint.now();
        System.out.printf("soak: %d rounds in %s; after the first %s, at the end %s%n", rounds, length, first, last);
        assertTrue(last.heapBytes() < first.heapBytes() + (64 << 20), "heap after a collection: " + first + " -> " + last);
        assertTrue(last.threads() <= first.threads() + 4, "platform threads: " + first + " -> " + last);
        assertTrue(last.fileDescriptors() <= first.fileDescriptors() + 16, "file descriptors: " + first + " -> " + last);
        await().atMost(Duration.ofSeconds(15)).until(() -> ProcessHandle.current().children().noneMatch(ProcessHandle::isAlive));
    }

    /** One of everything. */
    private static void round() throws Exception {
        try (Pool pool = new Pool(2)) {
            List<Integer> items = IntStream.range(0, 20_000).boxed().toList();
            assertEquals(items.stream().map(Load::inc).toList(), pool.map(Load::inc, items));
            AtomicInteger calledBack = new AtomicInteger();
            for (int i = 0; i < 2_000; i++) {
                pool.applyAsync(Load::inc, i, result -> calledBack.incrementAndGet(), null);
            }
            pool.close();
            pool.join();
            assertEquals(2_000, calledBack.get());
        }

        Pipe pipe = Pipe.open();
        PyProcess echo = new PyProcess(Echoes::pipe, pipe.conn2());
        Queue<Integer> queue = Queue.of(Integer.class);
        PyProcess producer = new PyProcess(Load::produce, queue, 10_000);
        try (Connection conn = pipe.conn1()) {
            echo.start();
            producer.start();
            for (int size = 1; size <= 1 << 20; size *= 4) {
                conn.sendBytes(Echoes.bytes(size));
                assertTrue(Echoes.isBytes(conn.recvBytes(), size));
            }
            for (int i = 0; i < 10_000; i++) {
                assertEquals(i, queue.get(PATIENCE));
            }
            conn.close();
            assertTrue(echo.join(PATIENCE) && producer.join(PATIENCE));
        } finally {
            Children.reap(echo, producer);
        }

        int sum = Asyncio.run(() -> {
            List<Task<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 5_000; i++) {
                int n = i;
                tasks.add(Asyncio.createTask(() -> {
                    Asyncio.sleep(Duration.ofMillis(1));
                    return n;
                }));
            }
            return Asyncio.gather(tasks).stream().mapToInt(Integer::intValue).sum();
        });
        assertEquals(5_000 * 4_999 / 2, sum);

        try (Listener listener = Listener.open()) {
            for (int i = 0; i < 50; i++) {
                try (Connection client = Client.connect(listener.address()); Connection served = listener.accept()) {
                    client.send(i);
                    assertEquals(i, served.recv());
                }
            }
        }
    }

    private record Footprint(long heapBytes, int threads, long fileDescriptors) {
        static Footprint now() throws IOException {
            Runtime runtime = Runtime.getRuntime();
            long heap = Long.MAX_VALUE;
            for (int i = 0; i < 3; i++) { // the least of a few collections: one may leave garbage behind
                System.gc();
                heap = Math.min(heap, runtime.totalMemory() - runtime.freeMemory());
            }
            try (var fds = Files.list(Path.of("/proc/self/fd"))) {
                return new Footprint(heap, ManagementFactory.getThreadMXBean().getThreadCount(), fds.count());
            }
        }

        @Override
        public String toString() {
            return String.format("%d MiB heap, %d threads, %d fds", heapBytes >> 20, threads, fileDescriptors);
        }
    }
}

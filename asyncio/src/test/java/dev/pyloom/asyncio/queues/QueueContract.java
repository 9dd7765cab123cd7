package dev.pyloom.asyncio.queues;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.asyncio.Asyncio;
import dev.pyloom.asyncio.CancelledException;
import dev.pyloom.asyncio.LoopContract;
import dev.pyloom.asyncio.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The queues: CPython's {@code test_queues} ({@code QueueBasicTests}, {@code QueueGetTests}, ...). */
abstract class QueueContract extends LoopContract {

    @Test
    void emptyAndFullAreTheExceptionsOfJavaUtilQueue() throws Exception {
        // As java.util.Queue's remove() and add() throw, and as the ipc module's queues do.
        run(() -> {
            Queue<String> queue = new Queue<>(1);
            assertInstanceOf(java.util.NoSuchElementException.class, assertThrows(QueueEmptyException.class, queue::getNowait));
            queue.putNowait("a");
            assertInstanceOf(IllegalStateException.class, assertThrows(QueueFullException.class, () -> queue.putNowait("b")));
            queue.shutdown();
            assertInstanceOf(IllegalStateException.class, assertThrows(QueueShutDownException.class, () -> queue.putNowait("c")));
        });
    }

    @Test
    void itemsComeOutFirstInFirstOut() throws Exception {
        List<Integer> out = run(() -> {
            Queue<Integer> queue = new Queue<>();
            for (int i = 0; i < 3; i++) {
                queue.put(i);
            }
            List<Integer> got = new ArrayList<>();
            while (!queue.empty()) {
                got.add(queue.get());
            }
            return got;
        });
        assertEquals(List.of(0, 1, 2), out);
    }

    @Test
    void priorityQueueHandsOutTheSmallestFirst() throws Exception { // PriorityQueueTests
        List<Integer> out = run(() -> {
            PriorityQueue<Integer> queue = new PriorityQueue<>();
            for (int n : new int[] {3, 1, 2}) {
                queue.putNowait(n);
            }
            return List.of(queue.getNowait(), queue.getNowait(), queue.getNowait());
        });
        assertEquals(List.of(1, 2, 3), out);
    }

    @Test
    void priorityQueueMayOrderByAComparator() throws Exception {
        List<String> out = run(() -> {
            PriorityQueue<String> queue = new PriorityQueue<>(0, Comparator.comparing(String::length));
            queue.putNowait("ccc");
            queue.putNowait("a");
            queue.putNowait("bb");
            return List.of(queue.getNowait(), queue.getNowait(), queue.getNowait());
        });
        assertEquals(List.of("a", "bb", "ccc"), out);
    }

    @Test
    void lifoQueueHandsOutTheNewestFirst() throws Exception { // LifoQueueTests
        List<Integer> out = run(() -> {
            LifoQueue<Integer> queue = new LifoQueue<>();
            for (int n : new int[] {1, 2, 3}) {
                queue.putNowait(n);
            }
            return List.of(queue.getNowait(), queue.getNowait(), queue.getNowait());
        });
        assertEquals(List.of(3, 2, 1), out);
    }

    @Test
    void getNowaitOnAnEmptyQueueThrowsQueueEmpty() throws Exception { // test_nonblocking_get_exception
        run(() -> assertThrows(QueueEmptyException.class, () -> new Queue<String>().getNowait()));
    }

    @Test
    void putNowaitOnAFullQueueThrowsQueueFull() throws Exception { // test_nonblocking_put_exception
        run(() -> {
            Queue<Integer> queue = new Queue<>(1);
            queue.putNowait(1);
            assertTrue(queue.full());
            assertThrows(QueueFullException.class, () -> queue.putNowait(2));
        });
    }

    @Test
    void getWaitsForAPut() throws Exception { // test_blocking_get_wait
        String got = run(() -> {
            Queue<String> queue = new Queue<>();
            Task<String> getter = Asyncio.createTask(queue::get);
            Asyncio.sleep(Duration.ZERO);
            assertFalse(getter.done());
            queue.put("item");
            return getter.await();
        });
        assertEquals("item", got);
    }

    @Test
    void putWaitsForRoomInABoundedQueue() throws Exception { // test_blocking_put_wait
        run(() -> {
            Queue<Integer> queue = new Queue<>(1);
            queue.put(1);
            Task<Void> putter = Asyncio.createTask(() -> queue.put(2));
            Asyncio.sleep(Duration.ZERO);
            assertFalse(putter.done());
            assertEquals(1, queue.get());
            putter.await();
            assertEquals(2, queue.get());
        });
    }

    @Test
    void aCancelledGetterTakesNothingAndTheNextGetterGetsTheItem() throws Exception { // test_cancelled_getters_not_being_held_in_self_getters / test_get_cancelled_race
        run(() -> {
            Queue<String> queue = new Queue<>();
            Task<String> cancelled = Asyncio.createTask(queue::get);
            Task<String> next = Asyncio.createTask(queue::get);
            Asyncio.sleep(Duration.ZERO);
            queue.putNowait("item"); // wakes the first getter...
            cancelled.cancel();      // ...which is cancelled before it runs
            assertThrows(CancelledException.class, cancelled::await);
            assertEquals("item", next.await());
        });
    }

    @Test
    void aCancelledPutterAddsNothing() throws Exception { // test_cancelled_puts_not_being_held_in_self_putters
        run(() -> {
            Queue<Integer> queue = new Queue<>(1);
            queue.putNowait(1);
            Task<Void> putter = Asyncio.createTask(() -> queue.put(2));
            Asyncio.sleep(Duration.ZERO);
            putter.cancel();
            assertThrows(CancelledException.class, putter::await);
            assertEquals(1, queue.qsize());
        });
    }

    @Test
    void joinReturnsOnceEveryItemIsMarkedDone() throws Exception { // test_task_done
        int[] processed = {0};
        run(() -> {
            Queue<Integer> queue = new Queue<>();
            for (int i = 0; i < 10; i++) {
                queue.putNowait(i);
            }
            List<Task<?>> workers = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                workers.add(Asyncio.createTask(() -> {
                    while (true) {
                        queue.get();
                        Asyncio.sleep(Duration.ZERO);
                        processed[0]++;
                        queue.taskDone();
                    }
                }));
            }
            queue.join();
            workers.forEach(Task::cancel);
        });
        assertEquals(10, processed[0]);
    }

    @Test
    void taskDoneCalledTooOftenThrows() throws Exception { // test_task_done_underflow
        run(() -> {
            Queue<Integer> queue = new Queue<>();
            queue.putNowait(1);
            queue.getNowait();
            queue.taskDone();
            assertThrows(IllegalArgumentException.class, queue::taskDone);
        });
    }

    @Test
    void joinOnAQueueWithNothingUnfinishedReturnsAtOnce() throws Exception { // test_join_empty_queue
        run(() -> new Queue<Integer>().join());
    }

    @Test
    void shutdownMakesPutThrowAndGetDrainsThenThrows() throws Exception { // test_shutdown_nonempty
        run(() -> {
            Queue<Integer> queue = new Queue<>();
            queue.putNowait(1);
            queue.shutdown();
            assertThrows(QueueShutDownException.class, () -> queue.put(2));
            assertEquals(1, queue.get());
            assertThrows(QueueShutDownException.class, queue::get);
        });
    }

    @Test
    void shutdownWakesWaitingGetters() throws Exception { // test_shutdown_get
        run(() -> {
            Queue<Integer> queue = new Queue<>();
            Task<Integer> getter = Asyncio.createTask(queue::get);
            Asyncio.sleep(Duration.ZERO);
            queue.shutdown();
            assertThrows(QueueShutDownException.class, getter::await);
        });
    }

    @Test
    void immediateShutdownDropsTheItemsAndReleasesJoin() throws Exception { // test_shutdown_immediate
        run(() -> {
            Queue<Integer> queue = new Queue<>();
            queue.putNowait(1);
            queue.putNowait(2);
            Task<Void> joiner = Asyncio.createTask(queue::join);
            Asyncio.sleep(Duration.ZERO);
            queue.shutdown(true);
            joiner.await();
            assertTrue(queue.empty());
            assertThrows(QueueShutDownException.class, queue::getNowait);
        });
    }

    @Test
    void maxsizeZeroMeansUnbounded() throws Exception { // test_maxsize
        run(() -> {
            Queue<Integer> queue = new Queue<>(0);
            for (int i = 0; i < 1000; i++) {
                queue.putNowait(i);
            }
            assertFalse(queue.full());
            assertEquals(0, queue.maxsize());
        });
    }

    @Test
    void producersAndConsumersExchangeEveryItem() throws Exception {
        long sum = run(() -> {
            Queue<Integer> queue = new Queue<>(4);
            long[] total = {0};
            Task<?> consumer = Asyncio.createTask(() -> {
                for (int i = 0; i < 1000; i++) {
                    total[0] += queue.get();
                }
            });
            for (int i = 0; i < 1000; i++) {
                queue.put(i);
            }
            consumer.await();
            return total[0];
        });
        assertEquals(499_500, sum);
    }
}

package dev.pyloom.multiprocessing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.ipc.Queue;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code AsyncResult.cancel(true)} on a task a worker runs: the task's thread is interrupted in
 * the worker, and a task that goes on regardless costs its worker, replaced, and nothing else.
 * A task's time limit does the same when it runs out.
 */
@ExtendWith(NoChildrenLeft.class)
class PoolCancelTest {

    @Test
    void cancelWithInterruptStopsARunningTaskInItsWorkerWhichGoesOn() throws Exception {
        Pool pool = new Pool(1);
        try (Queue<Long> started = Queue.of(Long.class); Queue<String> ended = Queue.of(String.class)) {
            AsyncResult<Integer> sleeping = pool.applyAsync(Tasks::sleepUntilInterrupted, started, ended);
            long worker = started.get(Duration.ofSeconds(60));
            assertTrue(sleeping.cancel(true));
            assertTrue(sleeping.isCancelled());
            assertThrows(CancellationException.class, sleeping::get);
            assertEquals("interrupted", ended.get(Duration.ofSeconds(60)), "the task's thread was interrupted in its worker");
            assertEquals(worker, pool.apply(Tasks::pid), "the same worker runs the next task");
            assertTrue(!sleeping.cancel(true), "cancelled once");
            pool.close();
            pool.join();
        } finally {
            pool.terminate();
        }
    }

    @Test
    void aTaskThatIgnoresTheInterruptCostsItsWorkerAloneWhichIsReplaced() throws Exception {
        Pool pool = Pool.builder().processes(1).interruptGrace(Duration.ofMillis(500)).build();
        try (Queue<Long> started = Queue.of(Long.class); LogCapture log = new LogCapture()) {
            AsyncResult<Integer> spinning = pool.applyAsync(Tasks::ignoreInterrupts, started);
            long worker = started.get(Duration.ofSeconds(60));
            AsyncResult<Integer> queued = pool.applyAsync(Tasks::square, 6);
            assertTrue(spinning.cancel(true));
            assertThrows(CancellationException.class, spinning::get);
            assertEquals(36, queued.get(), "the task queued behind it runs, on a new worker");
            assertNotEquals(worker, pool.apply(Tasks::pid), "its worker was killed and replaced");
            await().atMost(Duration.ofSeconds(30)).until(() -> log.records.stream()
                    .anyMatch(r -> r.getMessage().contains("was killed") && r.getMessage().contains("went on 500 ms after it was interrupted")));
            pool.close();
            pool.join();
        } finally {
            pool.terminate();
        }
    }

    @Test
    void cancellingATaskSentAheadNeverStartsItAndSparesTheTaskRunningBeforeIt() throws Exception {
        Pool pool = Pool.builder().processes(1).interruptGrace(Duration.ofMillis(200)).build();
        try (Queue<Long> started = Queue.of(Long.class); Queue<String> ended = Queue.of(String.class)) {
            // all three are queued before the worker is up, so the two behind the first are sent ahead
            AsyncResult<Integer> running = pool.applyAsync(Tasks::startThenSleep, started, 1_000);
            AsyncResult<Integer> ahead = pool.applyAsync(Tasks::sleepThenSayInterrupted, ended);
            AsyncResult<Integer> after = pool.applyAsync(Tasks::square, 3);
            long worker = started.get(Duration.ofSeconds(60));
            assertTrue(ahead.cancel(true));
            assertEquals(1_000, running.get(), "the task running before it is not killed for it");
            assertEquals(9, after.get());
            assertEquals(worker, pool.apply(Tasks::pid), "the same worker goes on");
            assertTrue(ended.empty(), "the cancelled task never started");
            pool.close();
            pool.join();
        } finally {
            pool.terminate();
        }
    }

    @Test
    void aTaskThatRunsPastItsTimeLimitFailsWithTimeoutExceptionAndIsInterrupted() throws Exception {
        Pool pool = new Pool(1);
        try (Queue<String> ended = Queue.of(String.class)) {
            // The limit counts decoding the arguments too: the worker reads a queue's handle once
            // first, so that the limit is not spent building its JSON mapper, and the task starts.
            long worker = pool.apply(Tasks::sayHello, ended);
            assertEquals("hello", ended.get(Duration.ofSeconds(60)));
            AsyncResult<Integer> limited = pool.applyAsync(Tasks::sleepThenSayInterrupted, ended, Duration.ofMillis(300));
            ExecutionException e = assertThrows(ExecutionException.class, limited::get);
            TimeoutException timeout = assertInstanceOf(TimeoutException.class, e.getCause());
            assertTrue(timeout.getMessage().contains("ran longer than its time limit of 300 ms"), timeout.getMessage());
            assertEquals("interrupted", ended.get(Duration.ofSeconds(60)));
            assertEquals(worker, pool.apply(Tasks::pid), "the same worker goes on");
            assertThrows(IllegalArgumentException.class, () -> pool.applyAsync(Tasks::square, 2, Duration.ZERO));
            pool.close();
            pool.join();
        } finally {
            pool.terminate();
        }
    }

    @Test
    void aTimeLimitCountsFromWhenTheTaskStartsNotWhileItIsQueued() throws Exception {
        Pool pool = new Pool(1);
        try {
            AsyncResult<Integer> ahead = pool.applyAsync(Tasks::slow, 1_000); // the queue time the limit must not count
            AsyncResult<Integer> limited = pool.applyAsync(Tasks::square, 3, Duration.ofMillis(300));
            assertEquals(1_000, ahead.get());
            assertEquals(9, limited.get());
            pool.close();
            pool.join();
        } finally {
            pool.terminate();
        }
    }

    @Test
    void cancelWithInterruptOfAMapStopsItsRunningChunksAndWithdrawsTheRest() throws Exception {
        Pool pool = new Pool(1);
        try (Queue<Long> started = Queue.of(Long.class); Queue<String> ended = Queue.of(String.class)) {
            AsyncResult<List<Integer>> map = pool.mapAsync(x -> Tasks.sleepUntilInterrupted(started, ended),
                    List.of(1, 2, 3), 1, null, null);
            started.get(Duration.ofSeconds(60));
            assertTrue(map.cancel(true));
            assertThrows(CancellationException.class, map::get);
            assertEquals("interrupted", ended.get(Duration.ofSeconds(60)));
            assertEquals(9, pool.apply(Tasks::square, 3), "the pool goes on");
            assertTrue(started.empty(), "the chunks not started never ran");
            pool.close();
            pool.join();
        } finally {
            pool.terminate();
        }
    }
}

package dev.pyloom.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
 * the worker, which goes on to the next task; a task's time limit does the same when it runs
 * out, counted from the task's start. Specified for every pool that promises the API
 * ({@link #newPool(int)}): {@link PoolCancelTest} on this machine's workers, pyloom-cluster's on
 * a cluster's nodes.
 */
@ExtendWith(NoChildrenLeft.class)
public abstract class PoolCancelContract {

    /** A new pool of {@code processes} workers, of the kind under test. The test ends it. */
    protected abstract Pool newPool(int processes);

    @Test
    public void cancelWithInterruptStopsARunningTaskInItsWorkerWhichGoesOn() throws Exception {
        Pool pool = newPool(1);
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
    public void aTaskThatRunsPastItsTimeLimitFailsWithTimeoutExceptionAndIsInterrupted() throws Exception {
        Pool pool = newPool(1);
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
    public void aTimeLimitCountsFromWhenTheTaskStartsNotWhileItIsQueued() throws Exception {
        Pool pool = newPool(1);
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
    public void cancelWithInterruptOfAMapStopsItsRunningChunksAndWithdrawsTheRest() throws Exception {
        Pool pool = newPool(1);
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

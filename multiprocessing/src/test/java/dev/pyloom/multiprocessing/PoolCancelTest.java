package dev.pyloom.multiprocessing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.ipc.Queue;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/**
 * {@code cancel(true)} and time limits ({@link PoolCancelContract}) on this machine's worker
 * JVMs, and with the local pool's interrupt grace: a task that goes on regardless costs its
 * worker, replaced, and nothing else; a task sent ahead to a busy worker is withdrawn from it.
 */
class PoolCancelTest extends PoolCancelContract {

    @Override
    protected Pool newPool(int processes) {
        return new Pool(processes);
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
}

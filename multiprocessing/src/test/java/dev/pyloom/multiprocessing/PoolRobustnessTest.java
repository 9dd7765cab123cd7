package dev.pyloom.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.ipc.Queue;
import dev.pyloom.multiprocessing.internal.TaskRef;
import dev.pyloom.multiprocessing.internal.Wire;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The corners ({@link PoolRobustnessContract}) on this machine's worker JVMs, and those of a pool
 * that runs its workers itself: a worker that dies while idle, workers that cannot start,
 * replacements starting as the pool is terminated, a place that fails.
 */
class PoolRobustnessTest extends PoolRobustnessContract {

    private static final Duration PROMPTLY = Duration.ofSeconds(60);

    @Override
    protected Pool newPool(int processes) {
        return new Pool(processes);
    }

    @Test
    void aWorkerThatDiesWhileIdleFailsNoTask() throws Exception {
        Pool pool = new Pool(1);
        try {
            long pid = pool.apply(Tasks::pid);
            ProcessHandle worker = ProcessHandle.of(pid).orElseThrow();
            worker.destroyForcibly();
            worker.onExit().get(PROMPTLY.toSeconds(), TimeUnit.SECONDS);
            assertEquals(49, pool.apply(Tasks::square, 7), "the next task runs on a replacement");
            pool.close();
            pool.join();
        } finally {
            pool.terminate();
        }
    }

    @Test
    void terminateWhileReplacementsStartLeavesNothingRunning() throws Exception {
        Pool pool = Pool.builder().processes(1).maxTasksPerChild(1).build();
        List<AsyncResult<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            results.add(pool.applyAsync(Tasks::square, i));
        }
        results.get(0).get(PROMPTLY.toSeconds(), TimeUnit.SECONDS);
        pool.terminate();
        for (AsyncResult<Integer> r : results) {
            assertTrue(r.await(PROMPTLY), "settled");
        }
        assertFalse(ProcessHandle.current().children().anyMatch(ProcessHandle::isAlive), "terminate() waited for every worker");
    }

    @Test
    void workersThatCannotStartBreakThePoolInsteadOfRetryingForever() throws Exception {
        Pool pool = Pool.builder().processes(1).initializer(Tasks::failToInitialize).build();
        try {
            List<AsyncResult<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                results.add(pool.applyAsync(Tasks::square, i));
            }
            for (AsyncResult<Integer> r : results) {
                ExecutionException e = assertThrows(ExecutionException.class, () -> r.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS));
                assertTrue(e.getCause().getMessage().contains("could not start"), e.getCause().getMessage());
            }
            IllegalStateException broken = assertThrows(IllegalStateException.class, () -> pool.applyAsync(Tasks::square, 1));
            assertTrue(broken.getMessage().contains("broken") && broken.getMessage().contains("could not start"),
                    broken.getMessage());
            pool.join(); // a broken pool can be joined without close(): it has stopped
        } finally {
            pool.terminate();
        }
    }

    /** A sink that throws where none should: what a bug in pyloom's own delivery would do. */
    private static final class BrokenSink implements PendingJob.Sink {
        final CompletableFuture<Throwable> failed = new CompletableFuture<>();

        @Override
        public void succeeded(PendingJob job, List<?> results) {
            throw new IllegalStateException("a bug in delivery");
        }

        @Override
        public void failed(PendingJob job, Throwable failure) {
            this.failed.complete(failure);
        }
    }

    @Test
    void aPlaceThatFailsUnexpectedlyBreaksThePoolLoudlyAndFailsItsWorkWithTheCause() throws Exception {
        Pool pool = new Pool(1);
        try (Queue<Integer> started = Queue.of(Integer.class); Queue<Integer> gate = Queue.of(Integer.class)) {
            Task.Call2<Queue<Integer>, Queue<Integer>, Integer> waiting = Tasks::startThenWait;
            TaskRef ref = TaskRef.of(waiting);
            Submission submission = new Submission("Pool-test", ref.describe(), Wire.encodeTask(ref), Wire.resultsReader(Integer.class));
            BrokenSink sink = new BrokenSink();
            pool.runtime().tasks().submit(List.of(PendingJob.call(-1, submission, List.of(started, gate), sink)));
            started.get(PROMPTLY);
            AsyncResult<Integer> queued = pool.applyAsync(Tasks::square, 2);
            gate.put(1); // the job ends, its sink throws, and the place with it

            ExecutionException lost = assertThrows(ExecutionException.class,
                    () -> queued.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS));
            assertInstanceOf(IllegalStateException.class, lost.getCause());
            assertEquals("a bug in delivery", lost.getCause().getCause().getMessage());
            assertEquals("a bug in delivery",
                    sink.failed.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS).getCause().getMessage());
            IllegalStateException broken = assertThrows(IllegalStateException.class,
                    () -> pool.applyAsync(Tasks::square, 3));
            assertTrue(broken.getMessage().contains("broken") && broken.getMessage().contains("a bug in delivery"),
                    broken.getMessage());
            pool.close(); // returns: nothing is left unsettled
        } finally {
            pool.terminate();
        }
    }
}

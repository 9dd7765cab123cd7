package dev.pyloom.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.ipc.Queue;
import dev.pyloom.testing.Spawned;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code close()} keeps {@code ExecutorService.close()}'s contract (stop accepting, run what is
 * queued, wait); Python's non-waiting {@code close()} is {@code shutdown()}. Specified for every
 * pool that promises the API ({@link #newPool(int)}): {@link PoolCloseTest} on this machine's
 * workers, pyloom-cluster's on a cluster's nodes.
 */
@ExtendWith(NoChildrenLeft.class)
public abstract class PoolCloseContract {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    /** A new pool of {@code processes} workers, of the kind under test. The test ends it. */
    protected abstract Pool newPool(int processes);

    @Test
    public void tryWithResourcesRunsEveryQueuedTaskBeforeTheBlockEnds() throws Exception {
        List<AsyncResult<Integer>> results = new ArrayList<>();
        List<Long> workers = new ArrayList<>();
        try (Pool pool = newPool(2)) {
            workers.add(pool.apply(Tasks::pid));
            for (int i = 0; i < 8; i++) {
                results.add(pool.applyAsync(Tasks::slow, 50));
            }
        }
        for (AsyncResult<Integer> result : results) {
            assertTrue(result.ready() && result.successful(), "ran before close() returned: " + result);
        }
        assertFalse(ProcessHandle.of(workers.get(0)).map(ProcessHandle::isAlive).orElse(false),
                "and the workers are gone");
    }

    @Test
    public void shutdownReturnsAtOnceAndJoinWaitsForTheQueue() throws Exception {
        Pool pool = newPool(1);
        try (Queue<Integer> gate = Queue.of(Integer.class)) {
            AsyncResult<Integer> waiting = pool.applyAsync(Tasks::waitFor, gate);
            AsyncResult<Integer> queued = pool.applyAsync(Tasks::square, 3);
            pool.shutdown();
            assertFalse(waiting.ready(), "shutdown() did not wait, as Python's close() does not");
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> pool.applyAsync(Tasks::square, 1));
            assertTrue(refused.getMessage().contains("closed"), refused.getMessage());
            gate.put(7);
            pool.join();
            assertEquals(7, waiting.get());
            assertEquals(9, queued.get(), "the queued task ran too");
        } finally {
            pool.terminate();
        }
    }

    @Test
    public void closeThatIsInterruptedTerminatesThePoolAndKeepsTheInterrupt() throws Exception {
        Pool pool = newPool(1);
        try (Queue<Integer> started = Queue.of(Integer.class); Queue<Integer> gate = Queue.of(Integer.class)) {
            AsyncResult<Integer> blocked = pool.applyAsync(Tasks::startThenWait, started, gate);
            started.get(PATIENCE);
            Spawned<Boolean> closing = Spawned.call(() -> {
                pool.close();
                return Thread.currentThread().isInterrupted();
            });
            closing.awaitBlocked();
            closing.thread().interrupt();
            assertTrue(closing.join(), "close() returned with the interrupt status set");
            assertThrows(CancellationException.class, () -> blocked.get(PATIENCE.toSeconds(), TimeUnit.SECONDS),
                    "the running task was cancelled: close() terminated the pool");
        } finally {
            pool.terminate();
        }
    }

    @Test
    public void waitingForAResultOnAPlaceThreadThrowsInsteadOfHanging() throws Exception {
        Pool pool = newPool(1);
        try (Queue<Integer> gate = Queue.of(Integer.class)) {
            AsyncResult<Integer> first = pool.applyAsync(Tasks::waitFor, gate);
            CompletableFuture<Object> seen = new CompletableFuture<>();
            first.toCompletableFuture().thenRun(() -> { // no executor: runs on the place that completes it
                try {
                    seen.complete(pool.apply(Tasks::square, 3)); // this place would have to deliver it
                } catch (Exception | Error e) {
                    seen.complete(e);
                }
            });
            gate.put(1);
            IllegalStateException e = assertInstanceOf(IllegalStateException.class,
                    seen.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
            assertTrue(e.getMessage().contains("own threads"), e.getMessage());
            assertEquals(9, pool.apply(Tasks::square, 3), "from another thread it works");
            pool.close();
        } finally {
            pool.terminate();
        }
    }

    @Test
    public void waitingForThePoolOnItsOwnThreadThrowsInsteadOfHanging() throws Exception {
        Pool pool = newPool(1);
        try (Queue<Integer> gate = Queue.of(Integer.class)) {
            AsyncResult<Integer> result = pool.applyAsync(Tasks::waitFor, gate);
            CompletableFuture<Throwable> seen = new CompletableFuture<>();
            result.toCompletableFuture().thenRun(() -> { // no executor: runs on the thread that completes it
                try {
                    pool.close();
                    seen.complete(null);
                } catch (RuntimeException | Error e) {
                    seen.complete(e);
                }
            });
            gate.put(1);
            IllegalStateException e = assertInstanceOf(IllegalStateException.class, seen.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
            assertTrue(e.getMessage().contains("own threads"), e.getMessage());
            pool.close();
        } finally {
            pool.terminate();
        }
    }

    /** An iterable that, when asked for its third item, calls {@code action} and records what it threw. */
    private static Iterable<Integer> callingAtItem2(Pool pool, java.util.function.Consumer<Pool> action,
            CompletableFuture<Throwable> thrown) {
        return () -> new java.util.Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < 4;
            }

            @Override
            public Integer next() {
                if (next == 2) {
                    try {
                        action.accept(pool);
                        thrown.complete(null);
                    } catch (Throwable e) {
                        thrown.complete(e);
                    }
                }
                return next++;
            }
        };
    }

    /** Python: joining the pool from its own task-handler thread raises RuntimeError. */
    @Test
    public void closeInsideAnImapsIterableThrowsInsteadOfDeadlocking() throws Exception {
        Pool pool = newPool(1);
        try {
            CompletableFuture<Throwable> thrown = new CompletableFuture<>();
            ResultIterator<Integer> results = pool.imap(Tasks::square, callingAtItem2(pool, Pool::close, thrown));
            assertInstanceOf(IllegalStateException.class, thrown.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
            List<Integer> squares = new ArrayList<>();
            results.forEachRemaining(squares::add);
            assertEquals(List.of(0, 1, 4, 9), squares, "the imap went on");
            pool.close();
        } finally {
            pool.terminate();
        }
    }

    @Test
    public void joinInsideAnImapsIterableThrowsInsteadOfDeadlocking() throws Exception {
        Pool pool = newPool(1);
        try {
            CompletableFuture<Throwable> thrown = new CompletableFuture<>();
            ResultIterator<Integer> results = pool.imap(Tasks::square, callingAtItem2(pool, p -> {
                p.shutdown();
                try {
                    p.join();
                } catch (InterruptedException e) {
                    throw new IllegalStateException("interrupted", e);
                }
            }, thrown));
            IllegalStateException refused = assertInstanceOf(IllegalStateException.class,
                    thrown.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
            assertTrue(refused.getMessage().contains("iterable"), refused.getMessage());
            List<Integer> squares = new ArrayList<>();
            results.forEachRemaining(squares::add);
            assertEquals(List.of(0, 1, 4, 9), squares, "shutdown() there lets the rest be read and run");
            pool.join();
        } finally {
            pool.terminate();
        }
    }
}

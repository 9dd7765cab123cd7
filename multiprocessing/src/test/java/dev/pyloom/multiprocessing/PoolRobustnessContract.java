package dev.pyloom.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.ipc.Connection;
import dev.pyloom.ipc.Pipe;
import dev.pyloom.ipc.Queue;
import dev.pyloom.multiprocessing.Tasks.Point;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The corners of the Pool's API: deaths at odd moments, use from inside callbacks, what may not
 * travel. Specified for every pool that promises the API ({@link #newPool(int)}):
 * {@link PoolRobustnessTest} on this machine's workers, pyloom-cluster's on a cluster's nodes.
 */
@ExtendWith(NoChildrenLeft.class)
public abstract class PoolRobustnessContract {

    private static final Duration PROMPTLY = Duration.ofSeconds(60);

    /** A new pool of {@code processes} workers, of the kind under test. The test ends it. */
    protected abstract Pool newPool(int processes);

    @Test
    public void terminateFailsATaskInFlight() throws Exception {
        Pool pool = newPool(1);
        try (Queue<Integer> started = Queue.of(Integer.class); Queue<Integer> gate = Queue.of(Integer.class)) {
            AsyncResult<Integer> running = pool.applyAsync(Tasks::startThenWait, started, gate);
            started.get(PROMPTLY);
            pool.terminate();
            assertThrows(CancellationException.class, () -> running.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS));
        } finally {
            pool.terminate();
        }
    }

    @Test
    public void imapGoesOnPastAWorkersDeath() throws Exception {
        Pool pool = newPool(2);
        try {
            ResultIterator<Integer> it = pool.imap(Tasks::exitIfOdd, List.of(0, 1, 2));
            assertEquals(0, it.next());
            WorkerDiedException died = assertThrows(WorkerDiedException.class, it::next);
            assertEquals(1, died.exitCode());
            assertEquals(2, it.next(), "the results after a failure still come");
            assertFalse(it.hasNext());
            pool.close();
            pool.join();
        } finally {
            pool.terminate();
        }
    }

    @Test
    public void aWorkerThatDiesMidChunkFailsEachItemOfItsChunkAndTheResultsKeepTheirPositions() throws Exception {
        Pool pool = newPool(2);
        try {
            List<Integer> items = List.of(0, 2, 4, 6, 7, 8, 10, 12, 14); // chunks of 3: the worker dies on 7
            ResultIterator<Integer> ordered = pool.imap(Tasks::exitIfOdd, items, 3);
            for (int position = 0; position < items.size(); position++) {
                if (position >= 3 && position < 6) {
                    assertEquals(7, assertThrows(WorkerDiedException.class, ordered::next).exitCode());
                } else {
                    assertEquals(items.get(position), ordered.next(), "position " + position);
                }
            }
            assertFalse(ordered.hasNext());

            ResultIterator<Integer> unordered = pool.imapUnordered(Tasks::exitIfOdd, items, 3);
            int died = 0;
            List<Integer> results = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                try {
                    results.add(unordered.next(PROMPTLY));
                } catch (WorkerDiedException e) {
                    died++;
                }
            }
            assertFalse(unordered.hasNext());
            assertEquals(3, died, "one outcome for each item of the chunk its worker died in");
            assertEquals(List.of(0, 2, 4, 10, 12, 14), results.stream().sorted().toList());
            pool.close();
        } finally {
            pool.terminate();
        }
    }

    @Test
    public void imapNextWithATimeout() throws Exception {
        Pool pool = newPool(1);
        try (Queue<Integer> gate = Queue.of(Integer.class)) {
            ResultIterator<Integer> it = pool.imap(Tasks::waitFor, List.of(gate));
            assertThrows(TimeoutException.class, () -> it.next(Duration.ofMillis(20)));
            gate.put(5);
            assertEquals(5, it.next(PROMPTLY));
            pool.close();
            pool.join();
        } finally {
            pool.terminate();
        }
    }

    @Test
    public void joinAndTerminateWorkFromInsideACallback() throws Exception {
        Pool closing = newPool(1);
        Pool terminating = newPool(1);
        try {
            CompletableFuture<String> joined = new CompletableFuture<>();
            closing.applyAsync(Tasks::square, 2, value -> {
                closing.close();
                try {
                    closing.join();
                    joined.complete("joined");
                } catch (Exception | Error e) {
                    joined.completeExceptionally(e);
                }
            }, null);
            assertEquals("joined", joined.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS));

            CompletableFuture<String> terminated = new CompletableFuture<>();
            terminating.applyAsync(Tasks::square, 2, value -> {
                try {
                    terminating.terminate();
                    terminated.complete("terminated");
                } catch (Exception | Error e) {
                    terminated.completeExceptionally(e);
                }
            }, null);
            assertEquals("terminated", terminated.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS));
        } finally {
            closing.terminate();
            terminating.terminate();
        }
    }

    @Test
    public void waitingForAResultInsideACallbackThrowsInsteadOfDeadlocking() throws Exception {
        Pool pool = newPool(2);
        try (Queue<Integer> gate = Queue.of(Integer.class)) {
            AsyncResult<Integer> pending = pool.applyAsync(Tasks::waitFor, gate);
            CompletableFuture<Throwable> seen = new CompletableFuture<>();
            pool.applyAsync(Tasks::square, 3, value -> {
                try {
                    pending.get();
                    seen.complete(null);
                } catch (Exception | Error e) {
                    seen.complete(e);
                }
            }, null);
            assertInstanceOf(IllegalStateException.class, seen.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS));
            gate.put(1);
            assertEquals(1, pending.get());
            pool.close();
            pool.join();
        } finally {
            pool.terminate();
        }
    }

    @Test
    public void resultsThatWouldLoseTheirTypeAreRefusedAtSubmission() throws Exception {
        Pool pool = newPool(1);
        try {
            IllegalArgumentException lambda = assertThrows(IllegalArgumentException.class,
                    () -> pool.applyAsync((Integer n) -> {
                        return List.of(new Point(n, n));
                    }, 3));
            assertTrue(lambda.getMessage().contains("lambda") && lambda.getMessage().contains("method reference"),
                    lambda.getMessage());
            IllegalArgumentException variable = assertThrows(IllegalArgumentException.class,
                    () -> pool.applyAsync((Task.Call1<Point, Point>) Tasks::echo, new Point(1, 2)));
            assertTrue(variable.getMessage().contains("type variable"), variable.getMessage());
            assertEquals(List.of(new Point(0, 0), new Point(1, -1)), pool.apply(Tasks::points, 2),
                    "a method reference keeps its generic type");
            pool.close();
            pool.join();
        } finally {
            pool.terminate();
        }
    }

    @Test
    public void aCapturedConnectionTravelsToTheWorker() throws Exception {
        Pool pool = newPool(1);
        try {
            Pipe pipe = Pipe.open();
            Connection theirs = pipe.conn2();
            int sent = pool.apply(() -> {
                theirs.send("hello from the worker");
                theirs.close();
                return 1;
            });
            assertEquals(1, sent);
            assertEquals("hello from the worker", pipe.conn1().recv(String.class));
            pipe.conn1().close();
            pool.close();
            pool.join();
        } finally {
            pool.terminate();
        }
    }

    @Test
    public void aMapThatIsPartlyRunningCannotBeCancelledHalfway() throws Exception {
        Pool pool = newPool(1);
        try (Queue<Integer> started = Queue.of(Integer.class); Queue<Integer> gate = Queue.of(Integer.class)) {
            AsyncResult<Integer> blocker = pool.applyAsync(Tasks::startThenWait, started, gate);
            started.get(PROMPTLY);
            AsyncResult<List<Integer>> queued = pool.mapAsync(Tasks::square, List.of(1, 2, 3), 1, null, null);
            assertTrue(queued.cancel(false), "no chunk has started: the whole map is withdrawn");
            assertTrue(queued.isCancelled());
            gate.put(9);
            assertEquals(9, blocker.get());
            AsyncResult<List<Integer>> running = pool.mapAsync(Tasks::square, List.of(1, 2, 3), 1, null, null);
            running.await(PROMPTLY);
            assertFalse(running.cancel(false));
            assertEquals(List.of(1, 4, 9), running.get());
            pool.close();
            pool.join();
        } finally {
            pool.terminate();
        }
    }

    @Test
    public void aNullImapResultLeavesThePoolWorking() throws Exception {
        Pool pool = newPool(1);
        try {
            ResultIterator<Integer> results = pool.imap(Tasks::nullIfOdd, List.of(0, 1, 2));
            List<Integer> seen = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                seen.add(results.next(PROMPTLY));
            }
            assertEquals(Arrays.asList(0, null, 2), seen, "Python's imap yields None");
            assertFalse(results.hasNext());
            assertEquals(4, pool.applyAsync(Tasks::square, 2).get(PROMPTLY.toSeconds(), TimeUnit.SECONDS));
            pool.close();
        } finally {
            pool.terminate();
        }
    }
}

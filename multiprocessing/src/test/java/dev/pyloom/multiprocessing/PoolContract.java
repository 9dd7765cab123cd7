package dev.pyloom.multiprocessing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.ipc.Queue;
import dev.pyloom.multiprocessing.Tasks.Colour;
import dev.pyloom.multiprocessing.Tasks.Point;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Pool's API against Python's, specified once for every pool that promises it, as CPython's
 * {@code lock_tests.py} specifies a lock: {@code apply} and {@code applyAsync} with their
 * callbacks, {@code AsyncResult}, {@code map}, {@code starmap} and {@code imap}. A subclass says
 * how its pools are made ({@link #newPool(int)}): {@link PoolTest} on this machine's worker JVMs,
 * pyloom-cluster's {@code ClusterPoolContractTest} on a cluster's nodes.
 *
 * <p>One pool of two workers is shared by the tests that do not end it (made before the first
 * test, closed and joined after the last: hence one instance for the class); a test that ends
 * its pool, or needs another number of workers, makes its own.
 */
@ExtendWith(NoChildrenLeft.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class PoolContract {

    /**
     * A new pool of {@code processes} workers, of the kind under test. The test ends it
     * ({@code close()}, {@code terminate()}).
     */
    protected abstract Pool newPool(int processes);

    private Pool pool;

    @BeforeAll
    void startPool() {
        pool = newPool(2);
    }

    @AfterAll
    void stopPool() throws InterruptedException {
        pool.close();
        pool.join();
    }

    private static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    // ------------------------------------------------------------------ apply

    @Test
    public void applyRunsTheTaskInAWorkerProcess() throws Exception {
        assertEquals(49, pool.apply(Tasks::square, 7));
        long workerPid = pool.apply(Tasks::pid);
        assertNotEquals(ProcessHandle.current().pid(), workerPid);
        assertTrue(ProcessHandle.of(workerPid).isPresent(), "the worker is a live process of its own");
        assertTrue(pool.apply(Tasks::processName).startsWith("PoolWorker-"));
    }

    @Test
    public void applyTakesUpToThreeArgumentsAndVoidTasks() throws Exception {
        assertEquals(5, pool.apply(Tasks::add, 2, 3));
        assertEquals("x1true", pool.apply(Tasks::join3, "x", 1, true));
        pool.apply(Tasks::nothing);
        assertEquals(null, pool.applyAsync(Tasks::nothing).get());
    }

    @Test
    public void argumentsAndResultsConvertToTheDeclaredTypes() throws Exception {
        assertEquals(new Point(2, 1), pool.apply(Tasks::mirror, new Point(1, 2)));
        List<Point> points = pool.apply(Tasks::points, 3);
        assertEquals(List.of(new Point(0, 0), new Point(1, -1), new Point(2, -2)), points);
        assertInstanceOf(Point.class, points.get(1), "generic return types keep their element type");
        Map<String, List<Colour>> colours = pool.apply(Tasks::colours, 2);
        assertEquals(List.of(Colour.RED, Colour.RED), colours.get("reds"));
        assertEquals(6, pool.apply(Tasks::sum, List.of(1, 2, 3)));
    }

    @Test
    public void lambdasTravelWithWhatTheyCapture() throws Exception {
        int offset = 100;
        String label = "n=";
        assertEquals("n=105", pool.apply((Integer x) -> label + (x + offset), 5));
        Point origin = new Point(3, 4);
        assertEquals(7, pool.apply(origin::norm1), "a bound method reference carries its receiver");
        assertEquals(5, pool.apply(Point::norm1, new Point(2, -3)), "an unbound one takes it as an argument");
        assertEquals(new Point(1, 2), pool.apply(Point::new, 1, 2), "constructor references work too");
        assertEquals(3, pool.apply(String::length, "abc"));
    }

    // ------------------------------------------------------------------ applyAsync and AsyncResult

    @Test
    public void applyAsyncReturnsAtOnceAndCallbacksRunOnOneThreadBeforeTheResultIsReady() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        List<Thread> threads = new CopyOnWriteArrayList<>();
        List<AsyncResult<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int n = i;
            results.add(pool.applyAsync(Tasks::square, i, value -> {
                threads.add(Thread.currentThread());
                seen.add(n + "->" + value);
            }, failure -> seen.add("error " + failure)));
        }
        for (int i = 0; i < 10; i++) {
            assertEquals(i * i, results.get(i).get());
            assertTrue(seen.contains(i + "->" + (i * i)), "the callback ran before the result became ready");
        }
        assertEquals(10, seen.size());
        assertEquals(1, new HashSet<>(threads).size(), "every callback runs on the one result-handler thread");
        assertNotEquals(Thread.currentThread(), threads.get(0));
    }

    @Test
    public void callbacksRunInOrderOfCompletion() throws Exception {
        List<Integer> order = new CopyOnWriteArrayList<>();
        try (Queue<Integer> gate = Queue.of(Integer.class)) {
            AsyncResult<Integer> slow = pool.applyAsync(Tasks::waitFor, gate, order::add, null);
            AsyncResult<Integer> fast = pool.applyAsync(Tasks::identity, 0, order::add, null);
            fast.get();
            assertFalse(slow.ready());
            gate.put(1);
            slow.get();
        }
        assertEquals(List.of(0, 1), order);
    }

    @Test
    public void asyncResultFollowsPython() throws Exception {
        try (Queue<Integer> gate = Queue.of(Integer.class)) {
            AsyncResult<Integer> r = pool.applyAsync(Tasks::waitFor, gate);
            assertFalse(r.ready());
            assertThrows(IllegalStateException.class, r::successful, "successful() before ready() is Python's ValueError");
            assertThrows(TimeoutException.class, () -> r.get(Duration.ofMillis(10)));
            assertFalse(r.await(Duration.ZERO));
            gate.put(1000);
            assertTrue(r.await(Duration.ofSeconds(30)));
            assertTrue(r.ready());
            assertTrue(r.successful());
            assertTrue(r.isDone());
            assertEquals(1000, r.get(Duration.ZERO));
            assertEquals(1000, r.get(1, TimeUnit.SECONDS));
            assertThrows(IllegalArgumentException.class, () -> r.get(Duration.ofSeconds(-1)));
        }

        AsyncResult<Integer> failed = pool.applyAsync(Tasks::fail, "no");
        failed.await();
        assertFalse(failed.successful());
        assertTrue(failed.toString().contains("failed"), failed.toString());
    }

    @Test
    public void anAsyncResultIsACompletableFutureToo() throws Exception {
        CompletableFuture<Integer> plusOne = pool.applyAsync(Tasks::square, 6).toCompletableFuture().thenApply(x -> x + 1);
        assertEquals(37, plusOne.get(30, TimeUnit.SECONDS));
        AsyncResult<Integer> original = pool.applyAsync(Tasks::square, 2);
        CompletableFuture<Integer> copy = original.toCompletableFuture();
        copy.complete(-1);
        assertEquals(4, original.get(), "completing the copy does not touch the pool's result");
    }

    @Test
    public void aQueuedTaskCanBeCancelledAndARunningOneNotWithoutInterrupting() throws Exception {
        Pool one = newPool(1);
        try (Queue<Integer> started = Queue.of(Integer.class); Queue<Integer> gate = Queue.of(Integer.class)) {
            AsyncResult<Integer> running = one.applyAsync(Tasks::startThenWait, started, gate);
            started.get(Duration.ofSeconds(60));
            AsyncResult<Integer> queued = one.applyAsync(Tasks::square, 3);
            AsyncResult<Integer> after = one.applyAsync(Tasks::square, 4);
            assertTrue(queued.cancel(false));
            assertTrue(queued.isCancelled());
            assertThrows(java.util.concurrent.CancellationException.class, queued::get);
            assertFalse(running.cancel(false), "a running task is not cancelled without mayInterruptIfRunning");
            assertFalse(running.isCancelled());
            gate.put(7);
            assertEquals(7, running.get());
            assertEquals(16, after.get());
            one.close();
            one.join();
        } finally {
            one.terminate();
        }
    }

    @Test
    public void aThreadInterruptedWhileItWaitsInApplyOrMapWithdrawsItsQueuedWork() throws Exception {
        Pool one = newPool(1);
        try (Queue<Integer> started = Queue.of(Integer.class); Queue<Integer> gate = Queue.of(Integer.class);
                Queue<Integer> ran = Queue.of(Integer.class)) {
            AsyncResult<Integer> running = one.applyAsync(Tasks::startThenWait, started, gate);
            started.get(Duration.ofSeconds(60));
            CompletableFuture<Throwable> applied = new CompletableFuture<>();
            CompletableFuture<Throwable> mapped = new CompletableFuture<>();
            Thread applying = Thread.ofPlatform().start(() -> {
                try {
                    one.apply(Tasks::record, ran, 1);
                } catch (Throwable e) {
                    applied.complete(e);
                }
            });
            Thread mapping = Thread.ofPlatform().start(() -> {
                try {
                    one.map(x -> Tasks.record(ran, x), List.of(10, 11, 12), 1);
                } catch (Throwable e) {
                    mapped.complete(e);
                }
            });
            for (Thread waiting : List.of(applying, mapping)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> waiting.getState() == Thread.State.WAITING);
                waiting.interrupt();
            }
            assertInstanceOf(InterruptedException.class, applied.get(60, TimeUnit.SECONDS));
            assertInstanceOf(InterruptedException.class, mapped.get(60, TimeUnit.SECONDS));
            gate.put(7);
            assertEquals(7, running.get());
            assertEquals(9, one.apply(Tasks::square, 3), "the pool goes on");
            assertTrue(ran.empty(), "the withdrawn tasks never ran");
            one.close();
            one.join();
        } finally {
            one.terminate();
        }
    }

    // ------------------------------------------------------------------ map and friends

    @Test
    public void mapReturnsResultsInItemOrder() throws Exception {
        assertEquals(range(100).stream().map(x -> x * x).toList(), pool.map(Tasks::square, range(100)));
        assertEquals(range(7).stream().map(x -> x * x).toList(), pool.map(Tasks::square, range(7), 3));
        assertEquals(List.of(), pool.map(Tasks::square, List.of()));
    }

    @Test
    public void mapAsyncCallbackGetsTheWholeList() throws Exception {
        CompletableFuture<List<Integer>> delivered = new CompletableFuture<>();
        AsyncResult<List<Integer>> r = pool.mapAsync(Tasks::square, range(10), 0, delivered::complete, delivered::completeExceptionally);
        assertEquals(range(10).stream().map(x -> x * x).toList(), r.get());
        assertEquals(r.get(), delivered.getNow(null));
        assertEquals(List.of(), pool.mapAsync(Tasks::square, List.<Integer>of()).get());
    }

    @Test
    public void mapFailsWithTheFirstFailureAndCallsTheErrorCallbackOnce() throws Exception {
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        List<String> items = List.of("a", "b", "c", "d");
        AsyncResult<List<Integer>> r = pool.mapAsync(Tasks::fail, items, 1, list -> errors.add(new AssertionError()), errors::add);
        ExecutionException e = assertThrows(ExecutionException.class, r::get);
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
        assertEquals(1, errors.size());
        IllegalArgumentException direct = assertThrows(IllegalArgumentException.class, () -> pool.map(Tasks::fail, items));
        assertTrue(items.contains(direct.getMessage()));
    }

    @Test
    public void starmapSpreadsArgumentTuples() throws Exception {
        assertEquals(List.of(3, 7), pool.starmap(Tasks::add, List.of(Args.of(1, 2), Args.of(3, 4))));
        assertEquals(List.of("a1true", "b2false"),
                pool.starmap(Tasks::join3, List.of(Args.of("a", 1, true), Args.of("b", 2, false))));
        assertEquals(List.of(11), pool.starmapAsync(Tasks::add, List.of(Args.of(5, 6))).get());
    }

    @Test
    public void imapYieldsInOrderAsResultsArrive() throws Exception {
        Iterator<Integer> it = pool.imap(Tasks::square, range(20));
        List<Integer> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        assertEquals(range(20).stream().map(x -> x * x).toList(), out);
        assertFalse(it.hasNext());
        assertThrows(NoSuchElementException.class, it::next);

        List<Integer> chunkedOut = new ArrayList<>();
        for (int square : pool.imap(Tasks::square, range(20), 6)) { // Python's for x in pool.imap(...)
            chunkedOut.add(square);
        }
        assertEquals(out, chunkedOut);
        assertThrows(IllegalArgumentException.class, () -> pool.imap(Tasks::square, range(2), 0));
    }

    @Test
    public void imapUnorderedYieldsEveryResultOnceFastestFirst() throws Exception {
        try (Queue<Integer> gate = Queue.of(Integer.class)) {
            Iterator<Integer> it = pool.imapUnordered(Tasks::waitFor, List.of(gate, gate, gate));
            gate.put(3);
            assertEquals(3, it.next(), "whichever finishes first comes first");
            gate.put(1);
            gate.put(2);
            List<Integer> all = new ArrayList<>(List.of(3));
            it.forEachRemaining(all::add);
            Collections.sort(all);
            assertEquals(List.of(1, 2, 3), all);
        }
    }

    @Test
    public void imapRaisesAFailureAtItsPlace() {
        Iterator<Integer> it = pool.imap(Tasks::identity, range(3));
        assertEquals(0, it.next());
        Iterator<Integer> failing = pool.imap(Tasks::fail, List.of("boom"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, failing::next);
        assertEquals("boom", e.getMessage());
        assertFalse(failing.hasNext());
    }

    // ------------------------------------------------------------------ null results (Python's None)

    @Test
    public void aNullResultComesFromApplyAndApplyAsyncAndItsCallback() throws Exception {
        assertEquals(null, pool.apply(Tasks::nullIfOdd, 1));
        CompletableFuture<Integer> seen = new CompletableFuture<>();
        AsyncResult<Integer> result = pool.applyAsync(Tasks::nullIfOdd, 3, seen::complete, seen::completeExceptionally);
        assertEquals(null, result.get(60, TimeUnit.SECONDS));
        assertTrue(result.successful());
        assertEquals(null, seen.getNow(-1), "the callback got the null before the result was ready");
    }

    @Test
    public void nullResultsComeFromMapAndStarmapInTheirPlaces() throws Exception {
        List<Integer> expected = Arrays.asList(0, null, 2, null, 4, null);
        assertEquals(expected, pool.map(Tasks::nullIfOdd, range(6)));
        assertEquals(expected, pool.map(Tasks::nullIfOdd, range(6), 4));
        CompletableFuture<List<Integer>> seen = new CompletableFuture<>();
        assertEquals(expected, pool.mapAsync(Tasks::nullIfOdd, range(6), 1, seen::complete, null).get());
        assertEquals(expected, seen.getNow(null));
        assertEquals(expected, pool.starmap(Tasks::nullIfSumOdd,
                range(6).stream().map(i -> Args.of(i, 0)).toList(), 2));
    }

    // ------------------------------------------------------------------ the pool itself

    @Test
    public void theFifthTaskWaitsForAFreeWorker() throws Exception {
        Pool four = newPool(4);
        try {
            List<Long> starts = new CopyOnWriteArrayList<>();
            List<AsyncResult<Long>> results = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                results.add(four.applyAsync(PoolContract::startedAt, 1000, t -> {
                    starts.add(t);
                }, null));
            }
            four.close();
            four.join();
            List<Long> sorted = new ArrayList<>(starts);
            Collections.sort(sorted);
            // each task reports when it started; the fifth started only once a worker was free
            long earliestEnd = sorted.get(0) + 1000;
            assertTrue(sorted.get(4) >= earliestEnd, "fifth task started at " + sorted.get(4) + ", before any of the first four ended");
            for (AsyncResult<Long> r : results) {
                assertTrue(r.successful());
            }
        } finally {
            four.terminate();
        }
    }

    /** Sleeps, then returns when it started (wall clock, milliseconds): shared by the worker JVMs. */
    static long startedAt(int millis) throws InterruptedException {
        long start = System.currentTimeMillis();
        Thread.sleep(millis);
        return start;
    }
}

package dev.pyloom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.it.programs.PoolTasks;
import dev.pyloom.multiprocessing.AsyncResult;
import dev.pyloom.multiprocessing.Pool;
import dev.pyloom.threading.Barrier;
import dev.pyloom.threading.Condition;
import dev.pyloom.threading.Lock;
import dev.pyloom.threading.PyThread;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Threads of this JVM and processes of a {@link Pool} together: pyloom's {@code threading}
 * primitives guard what the pool's callbacks deliver, and line up threads that each drive a
 * pool.
 *
 * <pre>
 *   submitting threads --applyAsync--&gt; Pool --&gt; worker JVMs
 *                                         |
 *                     result-handler thread: callbacks, under a Lock
 *                                         | signalAll
 *   consumer thread  &lt;-- Condition.waitFor(all arrived)
 * </pre>
 *
 * <p>Threads are {@link PyThread}s; a failure in one is collected and fails the test, rather
 * than only being printed by the thread's excepthook.
 */
class ThreadsDrivePoolsIT {

    /** An upper bound for a whole test, reached only when something hangs. */
    private static final Duration LIMIT = Duration.ofSeconds(90);
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private static Pool shared;

    @BeforeAll
    static void startPool() {
        shared = new Pool(2);
    }

    @AfterAll
    static void closePool() throws InterruptedException {
        if (shared != null) {
            shared.terminate();
            shared.join();
        }
    }

    @Test
    void callbacksUpdateStateUnderALockAndAConsumerWaitsOnItsCondition() {
        int submitters = 4;
        int each = 250;
        int total = submitters * each;
        Lock lock = new Lock();
        Condition allArrived = new Condition(lock);
        Map<Integer, Integer> timesSeen = new HashMap<>(); // guarded by lock
        int[] submitted = new int[1];                      // guarded by lock
        int[] arrived = new int[1];                        // guarded by lock
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<AsyncResult<Integer>> results = new ConcurrentLinkedQueue<>();

        assertTimeoutPreemptively(LIMIT, () -> {
            boolean[] consumerSawAll = new boolean[1];
            PyThread consumer = start("consumer", failures, () -> {
                try (var held = allArrived.hold()) {
                    consumerSawAll[0] = allArrived.waitFor(
                            () -> submitted[0] == total && arrived[0] == total, PATIENCE);
                }
            });
            List<PyThread> threads = new ArrayList<>();
            for (int t = 0; t < submitters; t++) {
                int first = t * each;
                threads.add(start("submitter-" + t, failures, () -> {
                    for (int id = first; id < first + each; id++) {
                        results.add(shared.applyAsync(PoolTasks::negate, id,
                                negated -> underLock(allArrived, () -> {
                                    timesSeen.merge(-negated, 1, Integer::sum);
                                    arrived[0]++;
                                    allArrived.signalAll();
                                }),
                                failures::add));
                        underLock(allArrived, () -> {
                            submitted[0]++;
                            allArrived.signalAll();
                        });
                    }
                }));
            }
            joinAll(threads);
            assertTrue(consumer.join(PATIENCE), "the consumer was woken");
            assertEquals(List.of(), List.copyOf(failures));
            assertTrue(consumerSawAll[0], "the consumer's condition held when it returned");
            // A result is ready only after its callback ran: once all are ready, no callback is due.
            for (AsyncResult<Integer> result : results) {
                result.get(PATIENCE);
            }
            try (var held = lock.hold()) {
                assertEquals(total, arrived[0]);
                assertEquals(total, timesSeen.size(), "a callback for every task");
                assertEquals(IntStream.range(0, total).boxed().toList(),
                        timesSeen.keySet().stream().sorted().toList());
                assertTrue(timesSeen.values().stream().allMatch(n -> n == 1), "each counted once: " + timesSeen);
            }
        });
    }

    @Test
    void aBarrierLinesUpThreadsThatEachDriveTheirOwnPool() {
        int parties = 3;
        int items = 20;
        assertTimeoutPreemptively(LIMIT, () -> {
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            // Each thread writes only its own slot before the barrier and reads the others' after
            // it: the barrier is what publishes them.
            List<?>[] phaseOne = new List<?>[parties];
            List<?>[] phaseTwo = new List<?>[parties];
            int[] completeAtTheBarrier = new int[1];
            Barrier barrier = new Barrier(parties,
                    () -> completeAtTheBarrier[0] = (int) Arrays.stream(phaseOne).filter(r -> r != null).count(),
                    PATIENCE);
            List<PyThread> threads = new ArrayList<>();
            for (int t = 0; t < parties; t++) {
                int me = t;
                threads.add(start("driver-" + t, failures, barrier::abort, () -> {
                    try (Pool own = new Pool(1)) {
                        phaseOne[me] = own.map(PoolTasks::square, range(me * items, items));
                        barrier.await();
                        for (int other = 0; other < parties; other++) {
                            assertEquals(squares(other * items, items), phaseOne[other],
                                    "thread " + me + " reads thread " + other + "'s results after the barrier");
                        }
                        @SuppressWarnings("unchecked")
                        List<Integer> next = (List<Integer>) phaseOne[(me + 1) % parties];
                        phaseTwo[me] = own.map(PoolTasks::negate, next);
                    }
                }));
            }
            joinAll(threads);
            assertEquals(List.of(), List.copyOf(failures));
            assertEquals(parties, completeAtTheBarrier[0], "the barrier's action saw every thread's first results");
            for (int t = 0; t < parties; t++) {
                assertEquals(squares(((t + 1) % parties) * items, items).stream().map(x -> -x).toList(), phaseTwo[t],
                        "thread " + t + "'s second phase, computed from its neighbour's first");
            }
        });
    }

    @Test
    void aBarrierLinesUpThreadsThatShareOnePool() {
        int parties = 4;
        int items = 50;
        assertTimeoutPreemptively(LIMIT, () -> {
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            List<?>[] phaseOne = new List<?>[parties];
            List<?>[] phaseTwo = new List<?>[parties];
            Barrier barrier = new Barrier(parties, null, PATIENCE);
            int[] arrivals = new int[parties];
            List<PyThread> threads = new ArrayList<>();
            for (int t = 0; t < parties; t++) {
                int me = t;
                threads.add(start("driver-" + t, failures, barrier::abort, () -> {
                    // Every thread's tasks are in the shared pool's queue at once, interleaved.
                    List<AsyncResult<Integer>> mine = new ArrayList<>();
                    for (int x : range(me * items, items)) {
                        mine.add(shared.applyAsync(PoolTasks::square, x));
                    }
                    List<Integer> values = new ArrayList<>();
                    for (AsyncResult<Integer> result : mine) {
                        values.add(result.get(PATIENCE));
                    }
                    phaseOne[me] = values;
                    arrivals[me] = barrier.await();
                    for (int other = 0; other < parties; other++) {
                        assertEquals(squares(other * items, items), phaseOne[other],
                                "thread " + me + " reads thread " + other + "'s results after the barrier");
                    }
                    @SuppressWarnings("unchecked")
                    List<Integer> next = (List<Integer>) phaseOne[(me + 1) % parties];
                    phaseTwo[me] = shared.map(PoolTasks::negate, next);
                }));
            }
            joinAll(threads);
            assertEquals(List.of(), List.copyOf(failures));
            assertEquals(List.of(0, 1, 2, 3), Arrays.stream(arrivals).sorted().boxed().toList(),
                    "each thread had its own arrival index");
            for (int t = 0; t < parties; t++) {
                assertEquals(squares(((t + 1) % parties) * items, items).stream().map(x -> -x).toList(), phaseTwo[t],
                        "thread " + t + "'s second phase, computed from its neighbour's first");
            }
        });
    }

    // ------------------------------------------------------------------ helpers

    private static PyThread start(String name, ConcurrentLinkedQueue<Throwable> failures, PyThread.Target body) {
        return start(name, failures, () -> {}, body);
    }

    /** Starts a thread that collects its failure in {@code failures} and then runs {@code onFailure}. */
    private static PyThread start(String name, ConcurrentLinkedQueue<Throwable> failures, Runnable onFailure,
            PyThread.Target body) {
        return PyThread.builder().name(name).target(() -> {
            try {
                body.run();
            } catch (Throwable failure) {
                failures.add(failure);
                onFailure.run();
            }
        }).start();
    }

    private static void joinAll(List<PyThread> threads) throws InterruptedException {
        for (PyThread thread : threads) {
            assertTrue(thread.join(PATIENCE), thread + " finished");
        }
    }

    /** Runs {@code body} holding {@code condition}'s lock; for callbacks, which cannot throw checked exceptions. */
    private static void underLock(Condition condition, Runnable body) {
        try (var held = condition.hold()) {
            body.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the lock", e);
        }
    }

    private static List<Integer> range(int first, int count) {
        return IntStream.range(first, first + count).boxed().toList();
    }

    private static List<Integer> squares(int first, int count) {
        return IntStream.range(first, first + count).map(x -> x * x).boxed().toList();
    }
}

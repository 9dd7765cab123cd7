package dev.pyloom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.asyncio.Asyncio;
import dev.pyloom.asyncio.CancelledException;
import dev.pyloom.asyncio.locks.Event;
import dev.pyloom.asyncio.ExceptionContext;
import dev.pyloom.asyncio.Future;
import dev.pyloom.asyncio.Task;
import dev.pyloom.asyncio.Timeout;
import dev.pyloom.ipc.Queue;
import dev.pyloom.it.programs.PoolTasks;
import dev.pyloom.multiprocessing.AsyncResult;
import dev.pyloom.multiprocessing.Pool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Coroutines awaiting a process {@link Pool}'s results: {@code Asyncio.wrapFuture(asyncResult).await()},
 * Python's {@code await asyncio.wrap_future(...)}.
 *
 * <pre>
 *   event loop (this JVM)                              Pool workers (child JVMs)
 *   coroutine --applyAsync--&gt; AsyncResult ------------&gt; task runs
 *       | wrapFuture(..).await(): gives the loop away       |
 *   other coroutines run meanwhile                          |
 *       | resumes when the result arrives &lt;-----------------+
 * </pre>
 *
 * <p>Nothing here is measured in time. That the loop stays free is shown by tasks that cannot
 * end until another coroutine has run: a pool task waits on a gate that only a coroutine of the
 * loop opens. What cancelling a wait does is shown by side effects: a withdrawn task would have
 * created a file, and a task submitted after it, on a pool of one worker (which runs its tasks in
 * order), completes without that file appearing.
 */
class AsyncioAwaitsPoolIT {

    /** An upper bound for a whole test, reached only when something hangs. */
    private static final Duration LIMIT = Duration.ofSeconds(90);
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    /** For the tests that need tasks running side by side. */
    private static Pool pair;
    /** For the cancellation tests: one worker runs its tasks in submission order. */
    private static Pool single;

    @BeforeAll
    static void startPools() {
        pair = new Pool(2);
        single = new Pool(1);
    }

    @AfterAll
    static void closePools() throws InterruptedException {
        for (Pool pool : new Pool[] {pair, single}) {
            if (pool != null) {
                pool.terminate();
                pool.join();
            }
        }
    }

    @Test
    void otherCoroutinesRunWhileACoroutineAwaitsPoolResults() {
        Queue<String> started = Queue.of(String.class);
        Queue<Integer> gate = Queue.of(Integer.class);
        int turns = 1_000;
        List<Integer> outcome = assertTimeoutPreemptively(LIMIT, () -> Asyncio.run(() -> {
            AsyncResult<Integer> a = pair.applyAsync(PoolTasks::startThenWait, started, gate, "a");
            AsyncResult<Integer> b = pair.applyAsync(PoolTasks::startThenWait, started, gate, "b");
            // The ticker can only run while the main coroutine below is suspended in its awaits:
            // it has no other await point. Both pool tasks end only when the ticker opens their
            // gate, after it has taken its turns while both tasks were running.
            Task<Integer> ticker = Asyncio.createTask(() -> {
                Asyncio.toThread(() -> started.get(PATIENCE));
                Asyncio.toThread(() -> started.get(PATIENCE));
                int ticks = 0;
                while (ticks < turns) {
                    Asyncio.sleep(Duration.ZERO);
                    ticks++;
                }
                gate.put(ticks);
                gate.put(ticks);
                return ticks;
            }, "ticker");
            int fromA = Asyncio.wrapFuture(a).await();
            int fromB = Asyncio.wrapFuture(b).await();
            return List.of(fromA, fromB, ticker.await());
        }));
        assertEquals(List.of(turns, turns, turns), outcome,
                "each pool task returned the ticker's count, taken while the loop's main coroutine awaited it");
    }

    @Test
    void manyCoroutinesEachAwaitTheirOwnPoolTaskAndAreGathered() {
        int coroutines = 200;
        Queue<String> started = Queue.of(String.class);
        Queue<Integer> gate = Queue.of(Integer.class);
        int[] peak = new int[1];
        List<Integer> squares = assertTimeoutPreemptively(LIMIT, () -> Asyncio.run(() -> {
            // Both workers busy first, so that every coroutine's task is still queued when the
            // last coroutine starts waiting: all of them wait at once, on one loop thread.
            AsyncResult<Integer> gateA = pair.applyAsync(PoolTasks::startThenWait, started, gate, "a");
            AsyncResult<Integer> gateB = pair.applyAsync(PoolTasks::startThenWait, started, gate, "b");
            Asyncio.toThread(() -> started.get(PATIENCE));
            Asyncio.toThread(() -> started.get(PATIENCE));
            int[] waiting = new int[1]; // only touched on the loop: no lock
            Event allWaiting = new Event();
            List<Task<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < coroutines; i++) {
                int x = i;
                tasks.add(Asyncio.createTask(() -> {
                    Future<Integer> result = Asyncio.wrapFuture(pair.applyAsync(PoolTasks::square, x));
                    if (++waiting[0] == coroutines) {
                        allWaiting.set();
                    }
                    peak[0] = Math.max(peak[0], waiting[0]);
                    int square = result.await();
                    waiting[0]--;
                    return square;
                }));
            }
            allWaiting.await();
            gate.put(0);
            gate.put(0);
            List<Integer> gathered = Asyncio.gather(tasks);
            Asyncio.wrapFuture(gateA).await();
            Asyncio.wrapFuture(gateB).await();
            return gathered;
        }));
        assertEquals(coroutines, peak[0], "every coroutine was waiting for its pool task at the same time");
        assertEquals(IntStream.range(0, coroutines).map(x -> x * x).boxed().toList(), squares);
    }

    @Test
    void cancellingTheWaitingTaskWithdrawsAQueuedPoolTask(@TempDir Path dir) {
        Queue<String> started = Queue.of(String.class);
        Queue<Integer> gate = Queue.of(Integer.class);
        Path withdrawn = dir.resolve("withdrawn");
        Path later = dir.resolve("later");
        AtomicReference<AsyncResult<String>> queued = new AtomicReference<>();
        assertTimeoutPreemptively(LIMIT, () -> Asyncio.run(() -> {
            AsyncResult<Integer> busy = single.applyAsync(PoolTasks::startThenWait, started, gate, "busy");
            Asyncio.toThread(() -> started.get(PATIENCE));
            queued.set(single.applyAsync(PoolTasks::touch, withdrawn.toString()));
            Event waiting = new Event();
            Task<String> waiter = Asyncio.createTask(() -> {
                Future<String> result = Asyncio.wrapFuture(queued.get());
                waiting.set();
                return result.await();
            });
            waiting.await();
            waiter.cancel();
            assertThrows(CancelledException.class, waiter::await);
            gate.put(1);
            assertEquals(1, Asyncio.wrapFuture(busy).await());
            AsyncResult<String> after = single.applyAsync(PoolTasks::touch, later.toString());
            assertEquals("later", Asyncio.wrapFuture(after).await());
        }));
        assertTrue(queued.get().isCancelled(), "the queued task was withdrawn: " + queued.get());
        assertTrue(Files.exists(later));
        assertFalse(Files.exists(withdrawn),
                "the withdrawn task never ran, although a task queued after it on the same worker did");
    }

    @Test
    void aTimeoutOnTheWaitWithdrawsAQueuedPoolTask(@TempDir Path dir) {
        Queue<String> started = Queue.of(String.class);
        Queue<Integer> gate = Queue.of(Integer.class);
        Path withdrawn = dir.resolve("withdrawn");
        Path later = dir.resolve("later");
        AtomicReference<AsyncResult<String>> queued = new AtomicReference<>();
        assertTimeoutPreemptively(LIMIT, () -> Asyncio.run(() -> {
            AsyncResult<Integer> busy = single.applyAsync(PoolTasks::startThenWait, started, gate, "busy");
            Asyncio.toThread(() -> started.get(PATIENCE));
            queued.set(single.applyAsync(PoolTasks::touch, withdrawn.toString()));
            // The worker is held by the gate until after the timeout: the wait always expires.
            assertThrows(TimeoutException.class, () -> {
                try (Timeout timeout = Asyncio.timeout(Duration.ofMillis(50))) {
                    Asyncio.wrapFuture(queued.get()).await();
                }
            });
            gate.put(1);
            assertEquals(1, Asyncio.wrapFuture(busy).await());
            AsyncResult<String> after = single.applyAsync(PoolTasks::touch, later.toString());
            assertEquals("later", Asyncio.wrapFuture(after).await());
        }));
        assertTrue(queued.get().isCancelled(), "the queued task was withdrawn: " + queued.get());
        assertTrue(Files.exists(later));
        assertFalse(Files.exists(withdrawn),
                "the withdrawn task never ran, although a task queued after it on the same worker did");
    }

    @Test
    void cancellingTheWaitForARunningPoolTaskLetsItFinishAndDropsItsResult() {
        Queue<String> started = Queue.of(String.class);
        Queue<Integer> gate = Queue.of(Integer.class);
        List<ExceptionContext> reported = new ArrayList<>();
        AtomicReference<AsyncResult<Integer>> running = new AtomicReference<>();
        AtomicReference<Future<Integer>> wrapped = new AtomicReference<>();
        assertTimeoutPreemptively(LIMIT, () -> Asyncio.run(() -> {
            Asyncio.getRunningLoop().setExceptionHandler((loop, context) -> reported.add(context));
            running.set(single.applyAsync(PoolTasks::startThenWait, started, gate, "running"));
            Asyncio.toThread(() -> started.get(PATIENCE));
            Event waiting = new Event();
            Task<Integer> waiter = Asyncio.createTask(() -> {
                wrapped.set(Asyncio.wrapFuture(running.get()));
                waiting.set();
                return wrapped.get().await();
            });
            waiting.await();
            waiter.cancel();
            assertThrows(CancelledException.class, waiter::await);
            assertFalse(running.get().isCancelled(), "a running pool task cannot be withdrawn");
            assertFalse(running.get().ready(), "and it is still running");
            gate.put(42);
            // Its result reaches the AsyncResult; the cancelled wait keeps its cancellation.
            assertEquals(42, Asyncio.toThread(() -> running.get().get(PATIENCE)));
        }));
        assertTrue(wrapped.get().cancelled(), "the wait stays cancelled: the result was dropped");
        assertEquals(List.of(), reported);
    }
}

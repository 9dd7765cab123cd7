package dev.pyloom.multiprocessing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link Pool#asExecutorService()}: code written against the JDK's {@code ExecutorService} runs
 * its {@code Callable}s and {@code Runnable}s in worker processes, and what cannot be sent is
 * refused with a {@code RejectedExecutionException} that says why. Specified for every pool that
 * promises the API ({@link #newPool(int)}): {@link PoolExecutorServiceTest} on this machine's
 * workers, pyloom-cluster's on a cluster's nodes. One pool of two workers is shared by the tests
 * that do not end it.
 */
@ExtendWith(NoChildrenLeft.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class PoolExecutorServiceContract {

    /** A new pool of {@code processes} workers, of the kind under test. The test ends it. */
    protected abstract Pool newPool(int processes);

    private Pool pool;
    private ExecutorService executor;

    @BeforeAll
    void startPool() {
        pool = newPool(2);
        executor = pool.asExecutorService();
    }

    @AfterAll
    void stopPool() throws InterruptedException {
        pool.terminate();
    }

    static int square(int x) {
        return x * x;
    }

    static int pid() {
        return (int) ProcessHandle.current().pid();
    }

    static void fail(String why) {
        throw new IllegalStateException(why);
    }

    @Test
    public void aSerializableCallableRunsInAWorkerAndItsFutureIsTheResult() throws Exception {
        Future<Integer> square = executor.submit((Callable<Integer> & Serializable) () -> square(7));
        assertEquals(49, square.get());
        assertInstanceOf(AsyncResult.class, square);
        Future<Integer> pid = executor.submit((Callable<Integer> & Serializable) PoolExecutorServiceContract::pid);
        assertFalse(pid.get() == ProcessHandle.current().pid(), "it ran in another process");
    }

    @Test
    public void aRunnableRunsAndItsFutureGivesNullOrTheResultItWasGiven() throws Exception {
        assertNull(executor.submit((Runnable & Serializable) () -> square(3)).get());
        assertEquals("done", executor.submit((Runnable & Serializable) () -> square(3), "done").get(10, TimeUnit.SECONDS));
    }

    @Test
    public void aTasksExceptionComesAsTheCauseOfExecutionExceptionWithItsType() {
        Future<?> failing = executor.submit((Runnable & Serializable) () -> fail("no"));
        ExecutionException e = assertThrows(ExecutionException.class, failing::get);
        assertEquals("no", assertInstanceOf(IllegalStateException.class, e.getCause()).getMessage());
    }

    @Test
    public void aPlainLambdaIsRejectedSayingHowToMakeItSendable() {
        Callable<Integer> plain = () -> square(7);
        RejectedExecutionException e = assertThrows(RejectedExecutionException.class, () -> executor.submit(plain));
        assertTrue(e.getMessage().contains("(Callable<Integer> & Serializable)"), e.getMessage());
        assertTrue(e.getMessage().contains("a task must be a lambda or a method reference"), e.getMessage());
        assertThrows(RejectedExecutionException.class, () -> executor.execute(() -> square(1)));
    }

    @Test
    public void aLambdaThatCapturesWhatCannotTravelIsRejectedNamingIt() {
        Object lock = new Object();
        RejectedExecutionException e = assertThrows(RejectedExecutionException.class,
                () -> executor.submit((Callable<Integer> & Serializable) () -> lock.hashCode()));
        assertTrue(e.getMessage().contains("captures a value that cannot be sent"), e.getMessage());
    }

    @Test
    public void invokeAllRunsEveryTaskAndKeepsTheirOrder() throws Exception {
        List<Callable<Integer>> tasks = List.of(
                (Callable<Integer> & Serializable) () -> square(1),
                (Callable<Integer> & Serializable) () -> square(2),
                (Callable<Integer> & Serializable) () -> { fail("third"); return 0; },
                (Callable<Integer> & Serializable) () -> square(4));
        List<Future<Integer>> futures = executor.invokeAll(tasks);
        assertEquals(1, futures.get(0).get());
        assertEquals(4, futures.get(1).get());
        assertInstanceOf(IllegalStateException.class, assertThrows(ExecutionException.class, futures.get(2)::get).getCause());
        assertEquals(16, futures.get(3).get());
        assertTrue(futures.stream().allMatch(Future::isDone));
    }

    @Test
    public void invokeAnyReturnsTheResultOfATaskThatSucceeded() throws Exception {
        List<Callable<Integer>> tasks = List.of(
                (Callable<Integer> & Serializable) () -> { fail("first"); return 0; },
                (Callable<Integer> & Serializable) () -> square(5));
        assertEquals(25, executor.invokeAny(tasks));
        List<Callable<Integer>> failing = List.of((Callable<Integer> & Serializable) () -> { fail("only"); return 0; });
        ExecutionException e = assertThrows(ExecutionException.class, () -> executor.invokeAny(failing));
        assertInstanceOf(IllegalStateException.class, e.getCause());
    }

    @Test
    public void aRunnableGivenToExecuteThatThrowsIsLogged() {
        try (LogCapture log = new LogCapture()) {
            executor.execute((Runnable & Serializable) () -> fail("nobody waits for me"));
            await().atMost(Duration.ofSeconds(30)).until(() -> log.records.stream().map(LogRecord::getThrown)
                    .anyMatch(thrown -> thrown != null && "nobody waits for me".equals(thrown.getMessage())));
        }
    }

    @Test
    public void shutdownRefusesNewTasksFinishesQueuedOnesAndTerminates() throws Exception {
        try (ExecutorService own = newPool(1).asExecutorService()) {
            Future<Integer> queued = own.submit((Callable<Integer> & Serializable) () -> square(6));
            own.shutdown();
            assertTrue(own.isShutdown());
            RejectedExecutionException e = assertThrows(RejectedExecutionException.class,
                    () -> own.submit((Callable<Integer> & Serializable) () -> square(1)));
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
            assertTrue(own.awaitTermination(60, TimeUnit.SECONDS));
            assertTrue(own.isTerminated());
            assertEquals(36, queued.get());
        }
    }

    @Test
    public void shutdownNowFromAStageOnAResultReturnsAndThePoolTerminates() throws Exception {
        ExecutorService own = newPool(1).asExecutorService();
        AsyncResult<Integer> first = (AsyncResult<Integer>) own.submit((Callable<Integer> & Serializable) () -> square(2));
        java.util.concurrent.CompletableFuture<List<Runnable>> stopped = first.toCompletableFuture()
                .thenApply(value -> own.shutdownNow()); // runs on the pool's own thread that completed it
        assertEquals(List.of(), stopped.get(60, TimeUnit.SECONDS));
        assertTrue(own.awaitTermination(60, TimeUnit.SECONDS));
    }

    @Test
    public void terminateFromAStageOnAResultReturnsAndThePoolTerminates() throws Exception {
        Pool own = newPool(1);
        java.util.concurrent.CompletableFuture<Void> terminated = own.applyAsync(PoolExecutorServiceContract::square, 2)
                .toCompletableFuture().thenAccept(value -> {
                    try {
                        own.terminate();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
        terminated.get(60, TimeUnit.SECONDS);
        own.join();
    }

    @Test
    public void aFutureAroundATaskIsRejectedSayingToSubmitTheTaskItself() {
        java.util.concurrent.ExecutorCompletionService<Integer> completion =
                new java.util.concurrent.ExecutorCompletionService<>(executor);
        RejectedExecutionException e = assertThrows(RejectedExecutionException.class,
                () -> completion.submit((Callable<Integer> & Serializable) () -> square(2)));
        assertTrue(e.getMessage().contains("submit the task itself"), e.getMessage());
    }

    @Test
    public void shutdownNowTerminatesThePoolAndCancelsWhatIsUnfinished() throws Exception {
        ExecutorService own = newPool(1).asExecutorService();
        Future<?> blocked = own.submit((Runnable & Serializable) () -> {
            try {
                Thread.sleep(Duration.ofMinutes(5)); // the task under test: it runs until the worker is killed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertEquals(List.of(), own.shutdownNow());
        assertTrue(own.awaitTermination(60, TimeUnit.SECONDS));
        assertTrue(own.isTerminated());
        assertTrue(blocked.isCancelled());
    }
}

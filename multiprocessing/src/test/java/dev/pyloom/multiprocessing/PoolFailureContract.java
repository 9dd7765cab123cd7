package dev.pyloom.multiprocessing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.LogRecord;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Where CPython's Pool fails and pyloom's must not, specified for every pool that promises the
 * API ({@link #newPool(int, String...)}): a task's exception arrives with its type, what cannot
 * travel fails at once or fails its task alone, a worker that dies fails its task alone, a
 * callback that throws is reported, and the pool's end settles every result.
 * {@link PoolFailureTest} runs it on this machine's workers, pyloom-cluster's on a cluster's nodes.
 */
@ExtendWith(NoChildrenLeft.class)
public abstract class PoolFailureContract {

    /** Long enough for a JVM to start and die on a busy machine; a hang is what it guards against. */
    private static final Duration PROMPTLY = Duration.ofSeconds(60);

    /**
     * A new pool of {@code processes} workers of the kind under test, whose worker JVMs run with
     * {@code jvmOptions} besides their own. The test ends it.
     */
    protected abstract Pool newPool(int processes, String... jvmOptions);

    /**
     * Where a task's exception says it was thrown (its {@link RemoteTraceback}'s message is
     * "thrown in " and this), as a regular expression: a local pool names its worker and the
     * worker's pid.
     */
    protected String whereTasksRun() {
        return "PoolWorker-\\d+ \\(pid \\d+\\)";
    }

    // ------------------------------------------------------------------ exceptions from tasks

    @Test
    public void aTaskExceptionArrivesWithItsTypeMessageAndTheWorkersStackTrace() throws Exception {
        Pool pool = newPool(1);
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.apply(Tasks::fail, "bad input"));
            assertEquals("bad input", e.getMessage());
            RemoteTraceback remote = assertInstanceOf(RemoteTraceback.class, e.getCause());
            assertTrue(remote.getMessage().matches("thrown in " + whereTasksRun()), remote.getMessage());
            assertTrue(Arrays.stream(remote.getStackTrace()).anyMatch(
                    frame -> frame.getClassName().equals(Tasks.class.getName()) && frame.getMethodName().equals("fail")),
                    "the worker's frames: " + Arrays.toString(remote.getStackTrace()));

            ExecutionException wrapped = assertThrows(ExecutionException.class, () -> pool.applyAsync(Tasks::failChecked, "io").get());
            IOException io = assertInstanceOf(IOException.class, wrapped.getCause());
            assertEquals("io", io.getMessage());
            RemoteTraceback ioTrace = assertInstanceOf(RemoteTraceback.class, io.getCause());
            IllegalStateException cause = assertInstanceOf(IllegalStateException.class, ioTrace.getCause(),
                    "the remote exception's own cause comes along");
            assertEquals("the cause", cause.getMessage());

            assertEquals(4, pool.apply(Tasks::square, 2), "the worker serves the next task");
            pool.close();
            pool.join();
        } finally {
            pool.terminate();
        }
    }

    @Test
    public void anExceptionWithoutAMessageConstructorArrivesAsItsOwnTypeItsTracebackCarryingTheMessage() throws Exception {
        Pool pool = newPool(1);
        try {
            Tasks.Odd e = assertThrows(Tasks.Odd.class, () -> pool.apply(Tasks::failOddly, 7));
            RemoteTraceback traceback = assertInstanceOf(RemoteTraceback.class, e.getCause());
            assertTrue(traceback.getMessage().endsWith(": odd 7"), traceback.getMessage());
            pool.close();
            pool.join();
        } finally {
            pool.terminate();
        }
    }

    // ------------------------------------------------------------------ what cannot travel

    @Test
    public void anArgumentThatCannotBeEncodedFailsAtSubmission() throws Exception {
        Pool pool = newPool(1);
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> pool.applyAsync(PoolFailureContract::describe, new Object()));
            assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> pool.map(PoolFailureContract::describe, List.of(1, new Object())));
            assertEquals(4, pool.apply(Tasks::square, 2));
            pool.close();
            pool.join();
        } finally {
            pool.terminate();
        }
    }

    static String describe(Object value) {
        return String.valueOf(value);
    }

    @Test
    public void aLambdaCapturingSomethingUnencodableFailsAtSubmissionNamingIt() throws Exception {
        Pool pool = newPool(1);
        try {
            ReentrantLock lock = new ReentrantLock();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> pool.applyAsync((Integer x) -> lock.isLocked() ? x : -x, 1));
            assertTrue(e.getMessage().contains("captures a value that cannot be sent"), e.getMessage());
            assertTrue(e.getMessage().contains(ReentrantLock.class.getName()), e.getMessage());
        } finally {
            pool.terminate();
        }
    }

    @Test
    public void aTaskThatIsNotALambdaIsRefused() throws Exception {
        Pool pool = newPool(1);
        try {
            Task.Call1<Integer, Integer> anonymous = new Task.Call1<>() {
                private static final long serialVersionUID = 1L;

                @Override
                public Integer call(Integer x) {
                    return x;
                }
            };
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.applyAsync(anonymous, 1));
            assertTrue(e.getMessage().contains("lambda or a method reference"), e.getMessage());
        } finally {
            pool.terminate();
        }
    }

    @Test
    public void aResultThatCannotBeEncodedFailsThatTaskAlone() throws Exception {
        Pool pool = newPool(1);
        try {
            ExecutionException e = assertThrows(ExecutionException.class, () -> pool.applyAsync(Tasks::unencodable, 1).get());
            IllegalArgumentException cause = assertInstanceOf(IllegalArgumentException.class, e.getCause());
            assertTrue(cause.getMessage().contains("cannot be sent back"), cause.getMessage());
            assertEquals(9, pool.apply(Tasks::square, 3), "the same worker goes on");
            pool.close();
            pool.join();
        } finally {
            pool.terminate();
        }
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void anArgumentOfTheWrongShapeFailsThatTaskAlone() throws Exception {
        Pool pool = newPool(1);
        try {
            List notIntegers = List.of("one", "two");
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> pool.applyAsync(Tasks::sum, (List<Integer>) notIntegers).get());
            assertInstanceOf(IOException.class, e.getCause(), "the worker could not read the argument as its parameter type");
            assertEquals(3, pool.apply(Tasks::sum, List.of(1, 2)));
            pool.close();
            pool.join();
        } finally {
            pool.terminate();
        }
    }

    // ------------------------------------------------------------------ workers that die

    @ParameterizedTest(name = "a worker that {0}")
    @ValueSource(strings = {"is killed by SIGKILL", "calls System.exit(7)", "halts with status 9", "runs out of memory"})
    public void aWorkerThatDiesMidTaskFailsThatTaskAloneAndIsReplaced(String how) throws Exception {
        Pool pool = newPool(2, "-Xmx64m");
        try {
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            List<AsyncResult<Integer>> others = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                others.add(pool.applyAsync(Tasks::square, i));
            }
            AsyncResult<Integer> doomed = switch (how) {
                case "is killed by SIGKILL" -> pool.applyAsync(Tasks::killSelf, 9, null, errors::add);
                case "calls System.exit(7)" -> pool.applyAsync(Tasks::exit, 7, null, errors::add);
                case "halts with status 9" -> pool.applyAsync(Tasks::halt, 9, null, errors::add);
                default -> pool.applyAsync(Tasks::exhaustMemory, 0, null, errors::add);
            };
            for (int i = 6; i < 12; i++) {
                others.add(pool.applyAsync(Tasks::square, i));
            }
            ExecutionException e = assertThrows(ExecutionException.class, () -> doomed.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS));
            WorkerDiedException died = assertInstanceOf(WorkerDiedException.class, e.getCause());
            int expected = switch (how) {
                case "is killed by SIGKILL" -> -9;
                case "calls System.exit(7)" -> 7;
                case "halts with status 9" -> 9;
                default -> 3; // -XX:+ExitOnOutOfMemoryError
            };
            assertEquals(expected, died.exitCode(), died.getMessage());
            assertTrue(died.workerName().startsWith("PoolWorker-"));
            assertTrue(died.getMessage().contains(died.workerName()) && died.getMessage().contains("code " + expected),
                    died.getMessage());
            assertTrue(died.getMessage().contains("Tasks::"), "names the task: " + died.getMessage());
            assertFalse(ProcessHandle.of(died.pid()).map(ProcessHandle::isAlive).orElse(false));
            assertEquals(List.of(died), errors, "the error callback got it, once");
            if (how.equals("runs out of memory")) {
                assertTrue(died.getMessage().contains("Its last lines on standard error:")
                        && died.getMessage().contains("OutOfMemoryError"), "the JVM's last words: " + died.getMessage());
            }

            for (int i = 0; i < 12; i++) {
                assertEquals(i * i, others.get(i).get(PROMPTLY.toSeconds(), TimeUnit.SECONDS));
            }
            await().atMost(PROMPTLY).until(() -> ProcessHandle.current().children()
                    .filter(ProcessHandle::isAlive).filter(c -> c.pid() != died.pid()).count() == 2);
            pool.close();
            pool.join();
        } finally {
            pool.terminate();
        }
    }

    /** The code of an argument or a result (an accessor, a constructor) may throw an Error: that task's alone. */
    @Test
    public void anErrorThrownWhileATasksValuesTravelFailsThatTaskAlone() throws Exception {
        Pool pool = newPool(2);
        try {
            ExecutionException encoding = assertThrows(ExecutionException.class, () -> pool.mapAsync(Tasks::unwrap,
                    List.of(new Tasks.Unlucky(13)), 1, null, null).get(PROMPTLY.toSeconds(), TimeUnit.SECONDS));
            assertInstanceOf(AssertionError.class, encoding.getCause());
            ExecutionException decoding = assertThrows(ExecutionException.class,
                    () -> pool.applyAsync(Tasks::curse, 13).get(PROMPTLY.toSeconds(), TimeUnit.SECONDS));
            assertInstanceOf(StackOverflowError.class, decoding.getCause());
            List<Integer> items = IntStream.range(0, 20).boxed().toList();
            assertEquals(items.stream().map(i -> i * i).toList(), pool.map(Tasks::square, items, 1),
                    "both places still serve");
            assertEquals(new Tasks.Cursed(12), pool.apply(Tasks::curse, 12));
            pool.close();
        } finally {
            pool.terminate();
        }
    }

    @Test
    public void aMapWhoseWorkerDiesFailsAndThePoolCarriesOn() throws Exception {
        Pool pool = newPool(2);
        try {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> pool.mapAsync(Tasks::exit, List.of(0, 1, 2, 3), 1, null, null).get(PROMPTLY.toSeconds(), TimeUnit.SECONDS));
            assertInstanceOf(WorkerDiedException.class, e.getCause());
            assertEquals(List.of(1, 4, 9), pool.map(Tasks::square, List.of(1, 2, 3)));
            pool.close();
            pool.join();
        } finally {
            pool.terminate();
        }
    }

    // ------------------------------------------------------------------ callbacks that throw

    @Test
    public void aThrowingCallbackIsReportedAndTheOtherResultsStillArrive() throws Exception {
        LogCapture log = new LogCapture();
        List<LogRecord> reports = log.records;
        Pool pool = newPool(2);
        try {
            List<Integer> delivered = new CopyOnWriteArrayList<>();
            List<AsyncResult<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                results.add(pool.applyAsync(Tasks::square, i, value -> {
                    if (value % 2 == 0) {
                        throw new IllegalStateException("callback rejects " + value);
                    }
                    delivered.add(value);
                }, null));
            }
            AsyncResult<Integer> failing = pool.applyAsync(Tasks::fail, "x", null, failure -> {
                throw new IllegalStateException("error callback rejects too");
            });
            for (int i = 0; i < 20; i++) {
                assertEquals(i * i, results.get(i).get(), "the result is ready, and right, even though its callback threw");
            }
            assertThrows(ExecutionException.class, failing::get);
            assertEquals(10, delivered.size());
            pool.close();
            pool.join();
        } finally {
            pool.terminate();
            log.close();
        }
        assertEquals(11, reports.size(), "each throwing callback reported once");
        for (LogRecord report : reports) {
            assertTrue(report.getMessage().contains("Tasks::"), "names the task: " + report.getMessage());
            assertInstanceOf(IllegalStateException.class, report.getThrown());
        }
        assertTrue(reports.stream().anyMatch(r -> r.getMessage().startsWith("error callback")));
    }

    // ------------------------------------------------------------------ lifecycle

    @Test
    public void terminateWithTenThousandQueuedTasksIsQuickAndFailsThemAll() throws Exception {
        Pool pool = newPool(2);
        List<AsyncResult<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            results.add(pool.applyAsync(Tasks::slow, 100));
        }
        long start = System.nanoTime();
        pool.terminate();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, "terminate() took " + took);
        for (AsyncResult<Integer> r : results) {
            assertTrue(r.await(PROMPTLY), "every result is settled, none left pending");
        }
        long cancelled = results.stream().filter(r -> {
            try {
                r.get();
                return false;
            } catch (ExecutionException | CancellationException | InterruptedException e) {
                return e instanceof CancellationException || e.getCause() instanceof CancellationException;
            }
        }).count();
        assertTrue(cancelled >= 9_990, cancelled + " cancelled");
        assertThrows(IllegalStateException.class, () -> pool.applyAsync(Tasks::square, 1));
        pool.join(); // after terminate, as in Python
    }

    @Test
    public void closeBeforeTheWorkIsDoneLetsJoinReturnOnceItIs() throws Exception {
        Pool pool = newPool(2);
        List<AsyncResult<Integer>> results = IntStream.range(0, 6).mapToObj(i -> pool.applyAsync(Tasks::slow, 200)).toList();
        pool.close();
        pool.join();
        for (AsyncResult<Integer> r : results) {
            assertTrue(r.ready() && r.successful(), "join() returns after every queued task ran");
        }
    }

    @Test
    public void joinBeforeCloseThrowsAndUseAfterCloseThrows() throws Exception {
        Pool pool = newPool(1);
        IllegalStateException early = assertThrows(IllegalStateException.class, pool::join);
        assertTrue(early.getMessage().contains("still running"), early.getMessage());
        pool.close();
        pool.close(); // idempotent
        IllegalStateException closed = assertThrows(IllegalStateException.class, () -> pool.applyAsync(Tasks::square, 1));
        assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
        assertThrows(IllegalStateException.class, () -> pool.map(Tasks::square, List.of(1)));
        assertThrows(IllegalStateException.class, () -> pool.imap(Tasks::square, List.of(1)));
        pool.join();
        assertTrue(pool.toString().contains("closed"), pool.toString());
    }

    /** Python's _check_running comes first: a closed pool reads nothing of what it is given. */
    @Test
    public void aClosedPoolRefusesEverySubmissionBeforeReadingItsItems() throws Exception {
        Pool pool = newPool(1);
        pool.close();
        Iterable<Integer> items = () -> {
            throw new AssertionError("a closed pool read the items");
        };
        Iterable<Args.Two<Integer, Integer>> pairs = () -> {
            throw new AssertionError("a closed pool read the items");
        };
        assertThrows(IllegalStateException.class, () -> pool.map(Tasks::square, items));
        assertThrows(IllegalStateException.class, () -> pool.map(Tasks::square, items, 2));
        assertThrows(IllegalStateException.class, () -> pool.mapAsync(Tasks::square, items));
        assertThrows(IllegalStateException.class, () -> pool.starmap(Tasks::add, pairs));
        assertThrows(IllegalStateException.class, () -> pool.starmapAsync(Tasks::add, pairs));
        assertThrows(IllegalStateException.class, () -> pool.imap(Tasks::square, items));
        assertThrows(IllegalStateException.class, () -> pool.imapUnordered(Tasks::square, items, 3));
    }

    @Test
    public void aClosedPoolStartsNoWorkersAndItsWorkersExit() throws Exception {
        Pool pool = newPool(2);
        CompletableFuture<Long> pid = pool.applyAsync(Tasks::pid).toCompletableFuture();
        long worker = pid.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS);
        pool.close();
        pool.join();
        assertFalse(ProcessHandle.of(worker).map(ProcessHandle::isAlive).orElse(false), "join() waited for the worker to exit");
    }
}

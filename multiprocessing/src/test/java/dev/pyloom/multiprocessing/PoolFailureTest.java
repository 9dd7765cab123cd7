package dev.pyloom.multiprocessing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.ipc.Queue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/**
 * Where CPython's Pool fails and pyloom's must not ({@link PoolFailureContract}) on this
 * machine's worker JVMs, and what only a pool that starts its workers itself must survive: a
 * worker that cannot start (a bad JVM option, a failing initializer) or is killed while it
 * starts, and a worker's death in its own log.
 */
class PoolFailureTest extends PoolFailureContract {

    /** Long enough for a JVM to start and die on a busy machine; a hang is what it guards against. */
    private static final Duration PROMPTLY = Duration.ofSeconds(60);

    @Override
    protected Pool newPool(int processes, String... jvmOptions) {
        return Pool.builder().processes(processes).jvmOptions(jvmOptions).build();
    }

    // ------------------------------------------------------------------ workers that die

    @Test
    void aWorkerThatDiesIsLoggedAsAWarningWithItsExitCode() throws Exception {
        LogCapture log = new LogCapture();
        List<LogRecord> reports = log.records;
        Pool pool = new Pool(1);
        try {
            AsyncResult<Integer> doomed = pool.applyAsync(Tasks::killSelf, 9);
            WorkerDiedException died = assertInstanceOf(WorkerDiedException.class,
                    assertThrows(ExecutionException.class, () -> doomed.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS)).getCause());
            await().atMost(PROMPTLY).until(() -> reports.stream().anyMatch(r -> r.getLevel() == java.util.logging.Level.WARNING
                    && r.getMessage().startsWith(died.workerName() + " (pid " + died.pid() + ") died with exit code -9 running")));
            assertEquals(4, pool.apply(Tasks::square, 2), "the replacement works");
        } finally {
            log.close();
            pool.terminate();
        }
    }

    /** Killed from outside before it connected (the OOM killer, an operator): not a worker that cannot start. */
    @Test
    void workersKilledWhileStartingAreReplacedAndTheirTaskRuns() throws Exception {
        try (Queue<Long> started = Queue.of(Long.class); Queue<Integer> gate = Queue.of(Integer.class)) {
            Pool pool = Pool.builder().processes(1).initializer(Tasks::initializeWhenTold, started, gate).build();
            try {
                AsyncResult<Integer> result = pool.applyAsync(Tasks::square, 5);
                for (int i = 0; i < PoolRuntime.MAX_START_FAILURES + 1; i++) {
                    ProcessHandle.of(started.get(PROMPTLY)).ifPresent(ProcessHandle::destroyForcibly);
                }
                started.get(PROMPTLY);
                gate.put(1);
                assertEquals(25, result.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS), "its task ran on the next worker");
                assertTrue(pool.toString().contains("open"), "the pool is not broken: " + pool);
                pool.close();
            } finally {
                pool.terminate();
            }
        }
    }

    @Test
    void aWorkerThatCannotStartSaysWhyInTheException() throws Exception {
        Pool pool = Pool.builder().processes(1).jvmOptions("-XX:+NoSuchOptionForPyloom").build();
        try {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> pool.applyAsync(Tasks::square, 2).get(PROMPTLY.toSeconds(), TimeUnit.SECONDS));
            String message = e.getCause().getMessage();
            assertTrue(message.contains("could not start") && message.contains("exited with code 1 before connecting"),
                    message);
            assertTrue(message.contains("Its standard error began:") && message.contains("NoSuchOptionForPyloom"),
                    "the JVM's own words are in the exception: " + message);
        } finally {
            pool.terminate();
        }
    }

    @Test
    void aWorkerWhoseInitializerThrowsSaysWhatItThrew() throws Exception {
        Pool pool = Pool.builder().processes(1).initializer(Tasks::failToInitialize).build();
        try {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> pool.applyAsync(Tasks::square, 2).get(PROMPTLY.toSeconds(), TimeUnit.SECONDS));
            String message = e.getCause().getMessage();
            assertTrue(message.contains("initializer says no") && message.contains("Its initializer threw."), message);
        } finally {
            pool.terminate();
        }
    }

    // ------------------------------------------------------------------ the pool's options

    @Test
    void maxTasksPerChildReplacesWorkers() throws Exception {
        Pool pool = Pool.builder().processes(1).maxTasksPerChild(2).build();
        try {
            List<Long> pids = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                pids.add(pool.apply(Tasks::pid));
            }
            assertEquals(pids.get(0), pids.get(1));
            assertEquals(pids.get(2), pids.get(3));
            assertEquals(pids.get(4), pids.get(5));
            assertEquals(3, pids.stream().distinct().count(), "a fresh worker every two tasks: " + pids);
            assertFalse(ProcessHandle.of(pids.get(0)).map(ProcessHandle::isAlive).orElse(false),
                    "a retired worker exits");
            pool.close();
            pool.join();
        } finally {
            pool.terminate();
        }
    }
}

package dev.pyloom.multiprocessing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.ipc.Queue;
import dev.pyloom.testing.ChildJvm;
import dev.pyloom.testing.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** PyProcess against Python's {@code multiprocessing.Process}: every child a real JVM, always reaped. */
@ExtendWith(NoChildrenLeft.class)
class PyProcessTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Test
    void aChildRunsItsTargetWithItsArgumentsAndKnowsItsNameAndPid() throws Exception {
        try (Queue<Children.Report> reports = Queue.of(Children.Report.class)) {
            PyProcess p = new PyProcess(Children::report, reports, "hello");
            assertTrue(p.name().matches("Process-\\d+"), p.name());
            assertFalse(p.isAlive());
            assertEquals(OptionalInt.empty(), p.exitCode());
            assertTrue(p.pid().isEmpty());
            p.start();
            try {
                Children.Report report = reports.get(PATIENCE);
                assertEquals(new Children.Report(p.name(), p.pid().orElseThrow(), false, "hello"), report);
                assertTrue(p.join(PATIENCE));
            } finally {
                p.kill();
                p.join();
            }
            assertFalse(p.isAlive());
            assertEquals(OptionalInt.of(0), p.exitCode());
            assertTrue(p.toString().contains("exitcode=0"), p.toString());
        }
    }

    @Test
    void nameAndDaemonReachTheChild() throws Exception {
        try (Queue<Children.Report> reports = Queue.of(Children.Report.class)) {
            PyProcess p = PyProcess.builder().name("Reporter").daemon(true).target(Children::report, reports, "x").build();
            assertTrue(p.isDaemon());
            p.start();
            try {
                assertEquals(new Children.Report("Reporter", p.pid().orElseThrow(), true, "x"), reports.get(PATIENCE));
            } finally {
                p.kill();
                p.join();
            }
        }
    }

    @Test
    void exitCodeIsWhatTheChildPassedToExit() throws Exception {
        PyProcess p = new PyProcess(Children::exitWith, 5);
        p.start();
        try {
            assertTrue(p.join(PATIENCE));
            assertEquals(OptionalInt.of(5), p.exitCode());
        } finally {
            p.kill();
            p.join();
        }
    }

    @Test
    void terminateAndKillGiveMinusTheSignal() throws Exception {
        try (Queue<Long> started = Queue.of(Long.class)) {
            PyProcess terminated = new PyProcess(Children::startedThenBlock, started);
            PyProcess killed = new PyProcess(Children::startedThenBlock, started);
            terminated.start();
            killed.start();
            try {
                started.get(PATIENCE);
                started.get(PATIENCE);
                assertTrue(terminated.isAlive());
                assertEquals(OptionalInt.empty(), terminated.exitCode(), "no exit code while it runs");
                assertFalse(terminated.join(Duration.ofMillis(50)), "join(timeout) returns false while it runs");
                terminated.terminate();
                killed.kill();
                terminated.join();
                killed.join();
                assertEquals(OptionalInt.of(-15), terminated.exitCode(), "SIGTERM, as Python reports it");
                assertEquals(OptionalInt.of(-9), killed.exitCode(), "SIGKILL");
                assertFalse(killed.isAlive());
            } finally {
                terminated.kill();
                killed.kill();
                terminated.join();
                killed.join();
            }
        }
    }

    @Test
    void misuseIsRefusedAsPythonRefusesIt() throws Exception {
        PyProcess p = new PyProcess(Children::exitWith, 0);
        assertThrows(IllegalStateException.class, p::join, "can only join a started process");
        assertThrows(IllegalStateException.class, p::terminate);
        p.start();
        try {
            assertThrows(IllegalStateException.class, p::start, "cannot start a process twice");
            assertThrows(IllegalStateException.class, () -> p.setDaemon(true));
            assertThrows(IllegalArgumentException.class, () -> p.join(Duration.ofSeconds(-1)));
        } finally {
            p.join();
        }
        PyProcess unsendable = new PyProcess(PyProcessTest::takesAnything, new Object());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, unsendable::start,
                "an argument that cannot travel fails at start, as Python's pickling does");
        assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
        assertTrue(unsendable.pid().isEmpty(), "and no process was started");
    }

    static void takesAnything(Object ignored) {}

    @Test
    void aChildWaitsForTheThreadsItsTargetStartedAndCanThenBeClosed(@TempDir Path dir) throws Exception {
        Path mark = dir.resolve("mark");
        PyProcess p = new PyProcess(Children::leaveAThreadBehind, mark.toString());
        assertThrows(IllegalStateException.class, () -> {
            p.start();
            p.close(); // still running
        });
        assertTrue(p.join(PATIENCE));
        assertEquals(OptionalInt.of(0), p.exitCode());
        assertTrue(Files.exists(mark), "the thread the target left behind finished before the child exited, as in Python");
        p.close();
    }

    /** Python's test_close: after close(), every use raises ValueError("process object is closed"). */
    @Test
    void aClosedProcessRefusesEveryUse() throws Exception {
        PyProcess p = new PyProcess(Children::exitWith, 0);
        p.start();
        p.join();
        p.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, p::isAlive);
        assertEquals("process " + p.name() + " is closed", e.getMessage());
        assertThrows(IllegalStateException.class, p::join);
        assertThrows(IllegalStateException.class, () -> p.join(Duration.ofSeconds(1)));
        assertThrows(IllegalStateException.class, p::terminate);
        assertThrows(IllegalStateException.class, p::kill);
        assertThrows(IllegalStateException.class, p::exitCode);
        assertThrows(IllegalStateException.class, p::pid);
        assertThrows(IllegalStateException.class, p::start);
    }

    @Test
    void closingAProcessTwiceIsHarmless() throws Exception {
        PyProcess p = new PyProcess(Children::exitWith, 0);
        p.start();
        p.join();
        p.close();
        p.close();
        assertTrue(p.toString().contains("closed"), p.toString());
    }

    /** Python closes a process that never started, too; it can then never start. */
    @Test
    void aProcessClosedBeforeItStartedCannotStart() throws Exception {
        PyProcess p = new PyProcess(Children::exitWith, 0);
        p.close();
        assertThrows(IllegalStateException.class, p::start);
    }

    @Test
    void theCurrentProcessCannotBeClosed() {
        assertThrows(IllegalStateException.class, () -> PyProcess.current().close());
        assertTrue(PyProcess.current().isAlive(), "and stays usable");
    }

    @Test
    void theCurrentProcessIsMainProcess() {
        PyProcess me = PyProcess.current();
        assertEquals("MainProcess", me.name());
        assertEquals(ProcessHandle.current().pid(), me.pid().orElseThrow());
        assertTrue(me.isAlive());
        assertThrows(IllegalStateException.class, me::start);
        assertThrows(IllegalStateException.class, me::join);
    }

    @Test
    void aTargetThatThrowsPrintsItsTracebackAndExitsWithOne() throws Exception {
        ChildJvm.Result result = ChildJvm.run(ProcessPrograms.ThrowingTarget.class);
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals(List.of("exitcode 1"), result.stdoutLines());
        assertTrue(result.stderr().startsWith("Process Thrower:"), result.stderr());
        assertTrue(result.stderr().contains("java.lang.IllegalStateException: it went wrong"), result.stderr());
        assertTrue(result.stderr().contains("at " + Children.class.getName() + ".fail("), result.stderr());
    }

    @Test
    void aTerminatedChildPrintsNothingOfWhatItsStoppingMadeFail() throws Exception {
        // As a Python process dies of SIGTERM silently: a target failing because the JVM is
        // stopping (its queue's connection closed at exit) is not reported as the target's failure.
        ChildJvm.Result result = ChildJvm.run(ProcessPrograms.TerminatedWhileFailing.class);
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals(List.of("exitcode -15"), result.stdoutLines());
        assertFalse(result.stderr().contains("Process Stopped:"), result.stderr());
    }

    @Test
    void atExitDaemonChildrenAreTerminatedAndTheOthersWaitedFor(@TempDir Path dir) throws Exception {
        Path mark = dir.resolve("mark");
        ChildJvm.Result result = ChildJvm.run(ProcessPrograms.ExitWithChildren.class, mark.toString());
        assertEquals(0, result.exitCode(), result.stderr());
        String[] pids = result.stdout().strip().split(" ");
        assertTrue(Files.exists(mark), "the program waited for its non-daemon child");
        long daemon = Long.parseLong(pids[0]);
        assertTrue(Processes.gone(daemon), "the daemon child was terminated at exit");
        assertTrue(Processes.gone(Long.parseLong(pids[1])));
    }

    @Test
    void childrenOfAKilledParentExitOnTheirOwn(@TempDir Path dir) throws Exception {
        Path ready = dir.resolve("ready");
        try (ChildJvm parent = ChildJvm.start(ProcessPrograms.KilledParent.class, ready.toString())) {
            await().atMost(PATIENCE).until(() -> Files.exists(ready) || !parent.process().isAlive());
            assertTrue(parent.process().isAlive(), "the parent program failed to start its children");
            List<ProcessHandle> children = parent.process().children().toList();
            assertEquals(3, children.size(), "two pool workers and a process: " + children);
            try {
                parent.process().destroyForcibly(); // SIGKILL: no shutdown hook runs
                parent.process().waitFor();
                await().atMost(Duration.ofSeconds(10)).until(() -> children.stream().allMatch(c -> Processes.gone(c.pid())));
            } finally {
                children.forEach(ProcessHandle::destroyForcibly);
            }
        }
    }

}

package dev.pyloom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.it.programs.MainThreadName;
import dev.pyloom.it.programs.ReturnsBeforeItsThreads;
import dev.pyloom.it.programs.UncaughtInThread;
import dev.pyloom.testing.ChildJvm;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What only a real program, from main() to exit, can show about the threading module. */
class ThreadLifecycleIT {

    @Test
    void theMainThreadOfARealProgramIsMainThread() throws Exception {
        ChildJvm.Result result = ChildJvm.run(MainThreadName.class);
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals(List.of(
                "current: MainThread",
                "same object: true",
                "seen from LoopThread: MainThread, alive=true",
                "enumerate: [MainThread]"), result.stdoutLines());
    }

    @Test
    void theProgramWaitsForNonDaemonVirtualThreadsButNotForDaemons() throws Exception {
        ChildJvm.Result result = ChildJvm.run(ReturnsBeforeItsThreads.class);
        assertEquals(0, result.exitCode(), result.stderr());
        List<String> lines = result.stdoutLines();
        assertEquals("main returning", lines.get(0), result.stdout());
        assertTrue(lines.contains("virtual worker finished"), "the JVM waited for the worker: " + lines);
        assertTrue(lines.contains("timer fired"), "and for the (non-daemon) timer: " + lines);
        assertFalse(lines.contains("daemon finished"), lines.toString());
        assertEquals(3, lines.size(), lines.toString());
    }

    @Test
    void anUncaughtExceptionIsReportedPythonStyleAndDoesNotEndTheProgram() throws Exception {
        ChildJvm.Result result = ChildJvm.run(UncaughtInThread.class);
        assertEquals(0, result.exitCode(), "as in Python, a failing thread does not fail the program");
        assertEquals(List.of("main still running after the worker failed"), result.stdoutLines());
        assertTrue(result.stderr().startsWith("Exception in thread worker:" + System.lineSeparator()
                + "java.lang.IllegalStateException: escaped from run()"), result.stderr());
    }
}

package dev.pyloom.multiprocessing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.pyloom.testing.ChildJvm;
import dev.pyloom.testing.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * How a program with children ends: by a real signal (a {@code docker stop}, a systemd restart,
 * Ctrl-C), promptly and with its children; normally, only after the children it waits for are
 * done with its sockets; and never with a child that starts pools of its own by mistake.
 */
@ExtendWith(NoChildrenLeft.class)
class ProcessExitTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TERM", "INT"})
    void aSignalledParentEndsPromptlyAndTakesItsChildrenWithIt(String signal, @TempDir Path dir) throws Exception {
        Path ready = dir.resolve("ready");
        try (ChildJvm parent = ChildJvm.start(ProcessPrograms.SignalledParent.class, ready.toString())) {
            await().atMost(PATIENCE).until(() -> Files.exists(ready) || !parent.process().isAlive());
            assertTrue(parent.process().isAlive(), "the program did not start its children");
            assumeFalse(Processes.ignores(parent.pid(), signal), "this JVM was started with SIG" + signal + " ignored (as a"
                    + " shell's background job is), so the signal cannot stop it");
            List<Long> children = Arrays.stream(Files.readString(ready).split(" ")).map(Long::valueOf).toList();
            new ProcessBuilder("kill", "-" + signal, Long.toString(parent.pid())).start().waitFor();
            ChildJvm.Result result = parent.await(Duration.ofSeconds(30)); // not forever, for the child it waits on
            assertEquals(128 + (signal.equals("TERM") ? 15 : 2), result.exitCode(), result.stderr());
            for (long child : children) {
                assertTrue(Processes.gone(child), "child " + child + " ended with its parent");
            }
        }
    }

    /** The shape `docker stop` meets most: main has returned, and the exit waits for its children. */
    @Test
    void aSignalDuringAnExitThatWaitsForChildrenEndsItPromptly(@TempDir Path dir) throws Exception {
        Path exiting = dir.resolve("exiting");
        try (ChildJvm parent = ChildJvm.start(ProcessPrograms.ExitThatWaits.class, exiting.toString())) {
            await().atMost(PATIENCE).until(() -> Files.exists(exiting) || !parent.process().isAlive());
            assertTrue(parent.process().isAlive(), "the exit did not wait for the child");
            long child = Long.parseLong(Files.readString(exiting).trim());
            new ProcessBuilder("kill", "-TERM", Long.toString(parent.pid())).start().waitFor();
            ChildJvm.Result result = parent.await(Duration.ofSeconds(30));
            assertTrue(Processes.gone(child), "the child ended with its parent: " + result.stderr());
        }
    }

    @Test
    void aChildTheExitWaitsForCanStillReachItsParent(@TempDir Path dir) throws Exception {
        Path mark = dir.resolve("mark");
        ChildJvm.Result result = ChildJvm.run(ProcessPrograms.ExitWhileAChildStillNeedsTheSockets.class, mark.toString(),
                dir.resolve("gate").toString());
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals("put arrived", Files.readString(mark), "the sockets outlived the child the exit waited for");
    }

    @Test
    void aPoolInAStaticFieldOfATaskClassIsRefusedInTheWorkers() throws Exception {
        ChildJvm.Result result = ChildJvm.run(ProcessPrograms.StaticPool.class);
        assertEquals(0, result.exitCode(), result.stderr());
        List<String> lines = result.stdoutLines();
        assertTrue(lines.get(0).startsWith("refused: a Pool cannot be started in PoolWorker-"), lines.get(0));
        assertTrue(lines.get(0).contains("while it initializes " + ProcessPrograms.StaticPool.class.getName()),
                lines.get(0));
        assertTrue(lines.get(0).contains("bootstrapping phase"), lines.get(0));
        assertEquals("processes: 2", lines.get(1), "the two workers, and no pools of their own");
    }

    @Test
    void aPoolStartedByAThreadOfATaskClassInitializerIsRefusedToo() throws Exception {
        ChildJvm.Result result = ChildJvm.run(ProcessPrograms.StaticPoolThroughAThread.class);
        assertEquals(0, result.exitCode(), result.stderr());
        List<String> lines = result.stdoutLines();
        assertTrue(lines.get(0).startsWith("failed: ") && lines.get(0).contains("a Pool cannot be started in PoolWorker-"),
                lines.get(0));
        assertEquals("processes: 2", lines.get(1), "the two workers, and no pools of their own");
    }

    /** Java treats an empty class path element as the working directory; so must the workers. */
    @Test
    void anEmptyClassPathElementIsTheWorkingDirectoryForTheWorkersToo() throws Exception {
        Path testClasses = ChildJvm.locationOf(ProcessPrograms.class);
        String others = java.util.Arrays.stream(ChildJvm.classPath().split(java.io.File.pathSeparator))
                .filter(entry -> !Path.of(entry).toAbsolutePath().equals(testClasses.toAbsolutePath()))
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
        ChildJvm.Result result = ChildJvm.run(List.of(ChildJvm.javaBinary(), "-cp", others + java.io.File.pathSeparator,
                ProcessPrograms.TryWithResources.class.getName()), java.util.Map.of(), testClasses);
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals(9, result.stdoutLines().size(), "every task ran in a worker: " + result.stdout());
    }
}

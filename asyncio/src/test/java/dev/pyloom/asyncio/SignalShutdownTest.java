package dev.pyloom.asyncio;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.pyloom.testing.ChildJvm;
import dev.pyloom.testing.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A real signal to a JVM inside {@code Asyncio.run}: as Python's runner does on Ctrl-C, the main
 * task is cancelled, its {@code finally} blocks run (and may await), and the loop's child
 * processes end with the JVM. On both strategies.
 */
class SignalShutdownTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @ParameterizedTest(name = "SIG{0} on {1}")
    @CsvSource({"INT, handoff", "TERM, handoff", "INT, carrier", "TERM, carrier"})
    void aSignalCancelsTheMainTaskRunsItsFinallyBlocksAndKillsTheLoopsChildren(String signal, String strategy,
            @TempDir Path dir) throws Exception {
        Path ready = dir.resolve("ready");
        ChildJvm.Result result = signalled(signal, strategy, ready, List.of());
        assertEquals(128 + number(signal), result.exitCode(), result.stderr());
        assertEquals(List.of("finally ran on " + strategy.toUpperCase(java.util.Locale.ROOT)), result.stdoutLines(),
                result.stderr());
        long child = Long.parseLong(Files.readString(ready));
        await().atMost(PATIENCE).until(() -> Processes.gone(child));
    }

    @ParameterizedTest(name = "SIG{0}")
    @CsvSource({"TERM"})
    void aCleanUpThatHangsIsCutShortByTheGracePeriodAndTheChildrenStillDie(String signal, @TempDir Path dir)
            throws Exception {
        Path ready = dir.resolve("ready");
        ChildJvm.Result result = signalled(signal, "handoff", ready,
                List.of("-D" + SignalShutdown.GRACE_PROPERTY + "=200"), "hang");
        assertEquals(128 + number(signal), result.exitCode(), result.stderr());
        assertEquals(List.of("finally ran on HANDOFF"), result.stdoutLines(), result.stderr());
        long child = Long.parseLong(Files.readString(ready));
        await().atMost(PATIENCE).until(() -> Processes.gone(child));
    }

    @org.junit.jupiter.api.Test
    void systemExitInsideARunCancelsNothingButKillsTheLoopsChildren(@TempDir Path dir) throws Exception {
        // Python's sys.exit unwinds asyncio.run, which closes the loop and so kills its children;
        // Java's does not unwind, but no child of a loop may outlive the JVM.
        Path ready = dir.resolve("ready");
        ChildJvm.Result result = ChildJvm.run(SignalledRun.class, ready.toString(), "exit");
        assertEquals(7, result.exitCode(), result.stderr());
        assertEquals(List.of(), result.stdoutLines(), "no finally ran: nothing was cancelled");
        long child = Long.parseLong(Files.readString(ready));
        await().atMost(PATIENCE).until(() -> Processes.gone(child));
    }

    @org.junit.jupiter.api.Test
    void asyncioRunWorksInsideAShutdownHook() throws Exception { // as asyncio.run does in an atexit function
        ChildJvm.Result result = ChildJvm.run(RunInShutdownHook.class);
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals(List.of("first run in a hook", "second run in a hook"), result.stdoutLines(), result.stderr());
    }

    private static ChildJvm.Result signalled(String signal, String strategy, Path ready, List<String> options,
            String... extra) throws Exception {
        List<String> jvmOptions = new java.util.ArrayList<>(options);
        jvmOptions.add("-Dpyloom.asyncio.strategy=" + strategy);
        if (strategy.equals("carrier")) {
            jvmOptions.add("--add-opens=java.base/java.lang=ALL-UNNAMED");
        }
        String[] args = new String[1 + extra.length];
        args[0] = ready.toString();
        System.arraycopy(extra, 0, args, 1, extra.length);
        try (ChildJvm program = ChildJvm.start(jvmOptions, SignalledRun.class, args)) {
            await().atMost(PATIENCE).until(() -> Files.exists(ready) || !program.process().isAlive());
            assertTrue(program.process().isAlive(), "the program ended before its coroutine started a child");
            assumeFalse(Processes.ignores(program.pid(), signal), "this JVM was started with SIG" + signal
                    + " ignored (as a shell's background job is), so the signal cannot stop it");
            new ProcessBuilder("kill", "-" + signal, Long.toString(program.pid())).start().waitFor();
            return program.await(Duration.ofSeconds(30));
        }
    }

    private static int number(String signal) {
        return signal.equals("TERM") ? 15 : 2;
    }
}

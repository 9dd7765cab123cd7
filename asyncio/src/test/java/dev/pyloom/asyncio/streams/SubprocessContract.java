package dev.pyloom.asyncio.streams;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.asyncio.Asyncio;
import dev.pyloom.asyncio.CancelledException;
import dev.pyloom.asyncio.LoopContract;
import dev.pyloom.asyncio.Task;
import dev.pyloom.asyncio.Timeout;
import dev.pyloom.asyncio.internal.LoopAccess;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Child processes: CPython's {@code test_asyncio/test_subprocess.py}, with programs every Unix has
 * ({@code sh}, {@code cat}, {@code tr}, {@code sleep}). Every child a test starts is waited for or
 * killed; none is left when a test ends.
 */
abstract class SubprocessContract extends LoopContract {

    @AfterEach
    void noChildIsLeftRunning() {
        loop.close(); // kills whatever a failed test left running
        awaitUntil(() -> ProcessHandle.current().children().noneMatch(ProcessHandle::isAlive));
    }

    static byte[] bytes(String text) {
        return text.getBytes(US_ASCII);
    }

    static String text(byte[] bytes) {
        return new String(bytes, US_ASCII);
    }

    @Test
    void communicateFeedsStdinAndCollectsStdoutAndStderr() throws Exception {
        Subprocess.Output out = run(() -> {
            Subprocess child = Streams.createSubprocessShell("cat; echo done >&2");
            Subprocess.Output output = child.communicate(bytes("hello"));
            assertEquals(OptionalInt.of(0), child.returncode());
            return output;
        });
        assertEquals("hello", text(out.stdout()));
        assertEquals("done\n", text(out.stderr()));
    }

    @Test
    void theExitCodeIsTheReturncode() throws Exception {
        int code = run(() -> {
            Subprocess child = Streams.createSubprocessExec("sh", "-c", "exit 3");
            assertTrue(child.returncode().isEmpty() || child.returncode().getAsInt() == 3);
            return child.await();
        });
        assertEquals(3, code);
    }

    @Test
    void aWaitForThatTimesOutLeavesTheChildAwaitable() throws Exception {
        // CPython gives each wait() a waiter of its own: a wait_for that times out cancels that
        // wait, not the child's exit.
        int code = run(() -> {
            Subprocess child = Streams.createSubprocessExec("cat");
            assertThrows(TimeoutException.class, () -> Asyncio.waitFor(child::await, ms(20)));
            assertTrue(child.returncode().isEmpty());
            child.stdin().close();
            return child.await();
        });
        assertEquals(0, code);
    }

    @Test
    void aKilledChildHasMinusTheSignalNumber() throws Exception { // test_kill, test_terminate
        List<Integer> codes = run(() -> {
            Subprocess killed = Streams.createSubprocessExec("sleep", "60");
            Subprocess terminated = Streams.createSubprocessExec("sleep", "60");
            killed.kill();
            terminated.terminate();
            return List.of(killed.await(), terminated.await());
        });
        assertEquals(List.of(-9, -15), codes);
    }

    @Test
    void aChildConversesLineByLineThroughItsPipes() throws Exception {
        List<String> lines = run(() -> {
            Subprocess child = Streams.createSubprocessShell("echo ready; read name; echo hello $name");
            String first = text(child.stdout().readLine());
            child.stdin().write(bytes("pyloom\n"));
            child.stdin().drain();
            String second = text(child.stdout().readLine());
            child.stdin().close();
            assertEquals(0, child.await());
            return List.of(first, second);
        });
        assertEquals(List.of("ready\n", "hello pyloom\n"), lines);
    }

    @Test
    void onePipelineFeedsOneChildsOutputToAnother() throws Exception { // cat | tr a-z A-Z
        String result = run(() -> {
            Subprocess cat = Streams.createSubprocessExec("cat");
            Subprocess tr = Streams.createSubprocessExec("tr", "a-z", "A-Z");
            Task<Void> pipe = Asyncio.createTask(() -> {
                for (byte[] chunk = cat.stdout().read(4096); chunk.length > 0; chunk = cat.stdout().read(4096)) {
                    tr.stdin().write(chunk);
                    tr.stdin().drain();
                }
                tr.stdin().close();
            });
            Task<byte[]> collect = Asyncio.createTask(() -> tr.stdout().read());
            StringBuilder sent = new StringBuilder();
            for (int i = 0; i < 1000; i++) {
                String line = "line " + i + " of the pipeline\n";
                sent.append(line);
                cat.stdin().write(bytes(line));
                cat.stdin().drain();
            }
            cat.stdin().close();
            pipe.await();
            String upper = text(collect.await());
            assertEquals(0, cat.await());
            assertEquals(0, tr.await());
            assertEquals(sent.toString().toUpperCase(java.util.Locale.ROOT), upper);
            return upper.substring(0, upper.indexOf('\n'));
        });
        assertEquals("LINE 0 OF THE PIPELINE", result);
    }

    @Test
    void communicateWithAChildThatHasAlreadyExitedReturnsItsOutput() throws Exception {
        String out = run(() -> {
            Subprocess child = Streams.createSubprocessShell("echo hi");
            child.await();
            return text(child.communicate(bytes("input nobody reads")).stdout());
        });
        assertEquals("hi\n", out);
    }

    @Test
    void communicateWithAChildThatStopsReadingEarlyReturns() throws Exception {
        // The child exits with most of the input unread, while stdin's pump is writing:
        // communicate() returns (CPython ignores the broken pipe), every time.
        run(() -> {
            for (int i = 0; i < 20; i++) {
                Subprocess child = Streams.createSubprocessShell("head -c 1 >/dev/null");
                Asyncio.waitFor(() -> child.communicate(new byte[2 << 20]), PATIENCE);
                assertEquals(OptionalInt.of(0), child.returncode());
            }
        });
    }

    @Test
    void aCancelledCommunicateLeavesNoTaskBehindAndClosesStdin() throws Exception {
        run(() -> {
            Subprocess child = Streams.createSubprocessExec("sleep", "60"); // reads nothing
            int tasksBefore = Asyncio.allTasks().size();
            Task<Subprocess.Output> communicating = Asyncio.createTask(() -> child.communicate(new byte[1 << 20]));
            for (int i = 0; i < 10; i++) {
                Asyncio.sleep(Duration.ZERO); // the input fills the pipe: the feeding waits in drain()
            }
            assertFalse(communicating.done());
            communicating.cancel();
            assertThrows(CancelledException.class, communicating::await);
            try (Timeout patience = Asyncio.timeout(PATIENCE)) {
                while (Asyncio.allTasks().size() > tasksBefore) {
                    Asyncio.sleep(Duration.ZERO); // the readers and the feeder, cancelled with it
                }
            }
            assertTrue(child.stdin().isClosing(), "stdin is closed: the child would see its input end");
            child.kill();
            assertEquals(-9, child.await());
        });
    }

    @Test
    void stdinClosedWhileItsPumpIsBlockedEndsWhenTheChildExits() throws Exception {
        run(() -> {
            Subprocess child = Streams.createSubprocessShell("head -c 10 >/dev/null");
            child.stdin().write(new byte[1 << 20]);
            child.stdin().close(); // closing: the queued bytes are still going out
            assertEquals(0, child.await());
            Asyncio.waitFor(() -> {
                child.stdin().waitClosed();
                return null;
            }, PATIENCE);
        });
    }

    @Test
    void finishedChildrenLeaveNothingForTheLoopToClose() throws Exception {
        run(() -> {
            int before = LoopAccess.get().openResources(loop);
            for (int i = 0; i < 20; i++) {
                Streams.createSubprocessShell("echo hi").communicate(null);
            }
            try (Timeout patience = Asyncio.timeout(PATIENCE)) {
                while (LoopAccess.get().openResources(loop) > before) {
                    Asyncio.sleep(Duration.ofMillis(1)); // the pumps' last words reach the loop
                }
            }
        });
    }

    @Test
    void streamsThatAreNotPipedAreNull() throws Exception {
        run(() -> {
            ProcessBuilder builder = new ProcessBuilder("true")
                    .redirectInput(ProcessBuilder.Redirect.INHERIT)
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            Subprocess child = Streams.createSubprocessExec(builder);
            assertNull(child.stdin());
            assertNull(child.stderr());
            assertThrows(IllegalArgumentException.class, () -> child.communicate(bytes("nobody reads this")));
            Subprocess.Output out = child.communicate(null);
            assertEquals(0, out.stdout().length);
            assertNull(out.stderr());
        });
    }

    @Test
    void aProgramThatDoesNotExistFailsToStartWithItsName() throws Exception {
        IOException e = assertThrows(IOException.class,
                () -> run(() -> Streams.createSubprocessExec("/no/such/program-pyloom")));
        assertTrue(e.getMessage().contains("/no/such/program-pyloom"), e.getMessage());
        run(() -> assertThrows(IllegalArgumentException.class,
                () -> Streams.createSubprocessExec(new ProcessBuilder(List.of()))));
    }

    @Test
    void closingTheLoopKillsAChildStillRunning() throws Exception {
        long pid = run(() -> Streams.createSubprocessExec("sleep", "60").pid());
        loop.close();
        awaitUntil(() -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) == false);
    }

    @Test
    void theLoopRunsOtherCoroutinesWhileAChildRuns() throws Exception {
        List<String> log = run(() -> {
            List<String> events = new java.util.ArrayList<>();
            Subprocess child = Streams.createSubprocessExec("cat");
            Task<Integer> waiting = Asyncio.createTask(() -> {
                int code = child.await();
                events.add("child exited");
                return code;
            });
            Asyncio.sleep(java.time.Duration.ZERO);
            events.add("the loop went on");
            assertFalse(waiting.done());
            child.stdin().close(); // cat ends at the end of its input
            waiting.await();
            return events;
        });
        assertEquals(List.of("the loop went on", "child exited"), log);
    }

    @Test
    void returncodeMapsTheJdksSignalStatusToPythons() {
        assertEquals(0, Subprocess.returncodeOf(0));
        assertEquals(1, Subprocess.returncodeOf(1));
        assertEquals(128, Subprocess.returncodeOf(128));
        assertEquals(-9, Subprocess.returncodeOf(137));
        assertEquals(-15, Subprocess.returncodeOf(143));
        assertEquals(255, Subprocess.returncodeOf(255));
    }
}

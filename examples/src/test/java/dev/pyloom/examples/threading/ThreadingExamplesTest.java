package dev.pyloom.examples.threading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The threading examples print what the tutorial's Python prints. */
class ThreadingExamplesTest {

    @Test
    void loopThreadPrintsTheTutorialsLines() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new LoopThread(new PrintStream(bytes, true, StandardCharsets.UTF_8), Duration.ZERO).run();
        assertEquals(List.of(
                "thread MainThread is running...",
                "thread LoopThread is running...",
                "thread LoopThread >>> 1",
                "thread LoopThread >>> 2",
                "thread LoopThread >>> 3",
                "thread LoopThread >>> 4",
                "thread LoopThread >>> 5",
                "thread LoopThread ended.",
                "thread MainThread ended."), bytes.toString(StandardCharsets.UTF_8).lines().toList());
    }

    @Test
    void theLockedBalanceEndsAtZero() throws Exception {
        assertEquals(0, new SharedBalance().twoThreads(true));
    }

    @Test
    void sharedBalanceReportsBothRuns() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SharedBalance.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, lines.size());
        assertTrue(lines.get(0).startsWith("balance without a lock: "), lines.get(0));
        assertEquals("balance with a lock: 0", lines.get(1));
    }
}

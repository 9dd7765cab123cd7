package dev.pyloom.examples.threading;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pyloom.examples.ExpectedOutput;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The threading examples print what the tutorial's Python prints. They run in this JVM, with
 * their output captured (and LoopThread without its pauses); the tour's test runs them as a user
 * does.
 */
class ThreadingExamplesTest {

    @Test
    void loopThreadPrintsTheTutorialsLines() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new LoopThread(new PrintStream(bytes, true, StandardCharsets.UTF_8), Duration.ZERO).run();
        ExpectedOutput.loopThread(bytes.toString(StandardCharsets.UTF_8).lines().toList());
    }

    @Test
    void theLockedBalanceEndsAtZero() throws Exception {
        assertEquals(0, new SharedBalance().twoThreads(true));
    }

    @Test
    void sharedBalanceReportsBothRuns() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SharedBalance.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        ExpectedOutput.sharedBalance(bytes.toString(StandardCharsets.UTF_8).lines().toList());
    }
}

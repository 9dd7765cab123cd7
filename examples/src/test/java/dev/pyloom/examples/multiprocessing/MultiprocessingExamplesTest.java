package dev.pyloom.examples.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pyloom.examples.ExpectedOutput;
import dev.pyloom.testing.ChildJvm;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The multiprocessing examples print what the tutorial's Python prints. Each runs in a JVM of
 * its own, as a user runs it, so that its child processes' output (which is its output) is seen.
 */
class MultiprocessingExamplesTest {

    @Test
    void childProcessPrintsTheTutorialsLines() throws Exception {
        ExpectedOutput.childProcess(run(ChildProcess.class));
    }

    @Test
    void theFifthPoolTaskWaitsForAFreeWorker() throws Exception {
        ExpectedOutput.poolOfFour(run(PoolOfFour.class));
    }

    @Test
    void theQueueCarriesABCFromWriterToReader() throws Exception {
        ExpectedOutput.queueBetweenProcesses(run(QueueBetweenProcesses.class));
    }

    @Test
    void aLongImapReportsItsProgressAsResultsArrive() throws Exception {
        List<String> lines = run(ImapProgress.class);
        List<String> expected = new java.util.ArrayList<>();
        for (int tenth = 1; tenth <= 10; tenth++) {
            expected.add(tenth * 10 + "/100 ranges done");
        }
        expected.add("78498 primes below 1000000");
        assertEquals(expected, lines);
    }

    private static List<String> run(Class<?> program) throws Exception {
        ChildJvm.Result result = ChildJvm.run(program);
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals("", result.stderr());
        return result.stdoutLines();
    }
}

package dev.pyloom.examples.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pyloom.examples.ExpectedOutput;
import dev.pyloom.examples.HazelcastOptions;
import dev.pyloom.testing.ChildJvm;
import org.junit.jupiter.api.Test;

/**
 * The cluster example prints what the tutorial's Pool program prints. It runs in a JVM of its
 * own, as a user runs it, so that the output of its nodes' workers (which is its output) is
 * seen, and so that it is seen to exit by itself: the nodes it closes keep no thread alive.
 */
class ClusterExamplesTest {

    @Test
    void thePoolProgramRunsOnTwoNodesAndItsFifthTaskWaitsForAFreeWorker() throws Exception {
        ChildJvm.Result result;
        try (ChildJvm child = ChildJvm.start(HazelcastOptions.with(), PoolOnTwoNodes.class)) {
            result = child.await();
        }
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals("", result.stderr());
        ExpectedOutput.poolOnTwoNodes(result.stdoutLines());
    }
}

package dev.pyloom.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.testing.ChildJvm;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code close()} and {@code shutdown()} ({@link PoolCloseContract}) on this machine's worker
 * JVMs, and in a program that ends in try-with-resources, whose JVM exits right after it.
 */
class PoolCloseTest extends PoolCloseContract {

    @Override
    protected Pool newPool(int processes) {
        return new Pool(processes);
    }

    /** The shape reported: main ends in try-with-resources, and the JVM exits right after it. */
    @Test
    void aProgramThatEndsInTryWithResourcesRunsEveryTask() throws Exception {
        ChildJvm.Result result = ChildJvm.run(ProcessPrograms.TryWithResources.class);
        assertEquals(0, result.exitCode(), result.stderr());
        List<String> lines = result.stdoutLines();
        assertEquals(9, lines.size(), "eight tasks and the end of the block: " + lines);
        for (int i = 0; i < 8; i++) {
            assertTrue(lines.indexOf("task " + i + " ran") >= 0 && lines.indexOf("task " + i + " ran")
                    < lines.indexOf("block ended"), "task " + i + " ran before the block ended: " + lines);
        }
    }
}

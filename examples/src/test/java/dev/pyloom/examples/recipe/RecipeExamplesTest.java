package dev.pyloom.examples.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pyloom.examples.ExpectedOutput;
import dev.pyloom.testing.ChildJvm;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tutorial's closing recipe and its one-JVM counterpart fetch every page they promise. Each
 * runs in a JVM of its own, as a user runs it. Without {@code --add-opens} their loops take the
 * handoff strategy; the tour's test runs them with the carrier strategy, as the README's command
 * does.
 */
class RecipeExamplesTest {

    @Test
    void everyPoolTaskFetchesThousandsOfPagesOnAnEventLoopInAWorker() throws Exception {
        ExpectedOutput.processesAndCoroutines(run(ProcessesAndCoroutines.class));
    }

    @Test
    void everyPlatformThreadOfOneJvmFetchesThousandsOfPagesOnAnEventLoopOfItsOwn() throws Exception {
        ExpectedOutput.loopsPerCore(run(LoopsPerCore.class));
    }

    private static List<String> run(Class<?> program) throws Exception {
        ChildJvm.Result result = ChildJvm.run(program);
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals("", result.stderr());
        return result.stdoutLines();
    }
}

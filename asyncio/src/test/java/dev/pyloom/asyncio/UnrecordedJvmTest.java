package dev.pyloom.asyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program that never records with JFR does not pay for the loop's JFR event: its class is never
 * loaded, since loading it sets the recorder up (about 0.2 s of CPU). {@link LoopStepEventTest}
 * shows the event once a recording runs.
 */
class UnrecordedJvmTest {

    /** Steps of both strategies' loops, in a JVM without a recording. */
    static final class LoopProgram {
        public static void main(String[] args) throws Exception {
            for (Strategy strategy : List.of(Strategy.HANDOFF, Strategy.CARRIER)) {
                try (EventLoop loop = new EventLoop(strategy)) {
                    System.out.println(loop.run(() -> {
                        Task<Integer> task = Asyncio.createTask(() -> {
                            Asyncio.sleep(Duration.ofMillis(1));
                            return 21;
                        });
                        return task.await() * 2;
                    }));
                }
            }
            System.out.println(jdk.jfr.FlightRecorder.isInitialized());
        }
    }

    @Test
    void aLoopLoadsNoEventClassAndLeavesTheRecorderAlone(@TempDir Path dir) throws Exception {
        Path loaded = dir.resolve("classes.txt");
        ChildJvm.Result result;
        try (ChildJvm child = ChildJvm.start(List.of("--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "-Xlog:class+load=info:file=" + loaded), LoopProgram.class)) {
            result = child.await();
        }
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals(List.of("42", "42", "false"), result.stdoutLines());
        List<String> jfr = Files.readAllLines(loaded).stream()
                .filter(line -> (line.contains(" jdk.jfr.") && !line.contains(" jdk.jfr.FlightRecorder ")) || line.matches(".* dev\\.pyloom\\.\\w+\\.\\w+StepEvent .*|.* dev\\.pyloom\\.\\w+\\.\\w+(Task|Start)Event .*")).toList();
        assertTrue(jfr.isEmpty(), "loaded: " + jfr);
    }
}

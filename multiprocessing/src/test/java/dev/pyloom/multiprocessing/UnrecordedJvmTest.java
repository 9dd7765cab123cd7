package dev.pyloom.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program that never records with JFR does not pay for pyloom's JFR events: their classes are
 * never loaded, since loading one sets the recorder up (about 0.2 s of CPU, a fifth of a one-shot
 * script's). {@link PoolEventsTest} shows the events once a recording runs.
 */
@ExtendWith(NoChildrenLeft.class)
class UnrecordedJvmTest {

    /** A pool's whole life, in a JVM without a recording. */
    static final class PoolProgram {
        public static void main(String[] args) throws Exception {
            try (Pool pool = new Pool(2)) {
                System.out.println(pool.apply(Tasks::square, 3));
                System.out.println(pool.map(Tasks::square, List.of(1, 2, 3)));
            }
            System.out.println(jdk.jfr.FlightRecorder.isInitialized());
        }
    }

    @Test
    void aPoolLoadsNoEventClassAndLeavesTheRecorderAlone(@TempDir Path dir) throws Exception {
        Path loaded = dir.resolve("classes.txt");
        ChildJvm.Result result;
        try (ChildJvm child = ChildJvm.start(List.of("-Xlog:class+load=info:file=" + loaded), PoolProgram.class)) {
            result = child.await();
        }
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals(List.of("9", "[1, 4, 9]", "false"), result.stdoutLines());
        List<String> jfr = Files.readAllLines(loaded).stream()
                .filter(line -> (line.contains(" jdk.jfr.") && !line.contains(" jdk.jfr.FlightRecorder ")) || line.matches(".* dev\\.pyloom\\.\\w+\\.\\w+StepEvent .*|.* dev\\.pyloom\\.\\w+\\.\\w+(Task|Start)Event .*")).toList();
        assertTrue(jfr.isEmpty(), "loaded: " + jfr);
    }
}

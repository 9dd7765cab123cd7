package dev.pyloom.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker whose tasks take and return plain scalars (numbers, text, booleans, nulls) reads and
 * writes its frames with the streaming parser alone, and never builds the JSON mapper: building
 * it is a third of a worker's start, and would fall on its first {@code apply}.
 */
@ExtendWith(NoChildrenLeft.class)
class PlainWorkerTest {

    @Test
    void applyStarmapAndMapOfPlainScalarsNeverBuildTheWorkersMapper(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("worker-classes.txt");
        Path files = Files.createDirectory(dir.resolve("files"));
        Files.writeString(files.resolve("one"), "1");
        try (Pool pool = Pool.builder().processes(1).jvmOptions("-Xlog:class+load=info:file=" + log).build()) {
            assertEquals(9, pool.apply(Tasks::square, 3));
            assertEquals(1, pool.apply(Tasks::countFiles, files.toString()));
            assertEquals(Arrays.asList(null, 4), pool.starmap(Tasks::nullIfSumOdd, List.of(Args.of(1, 2), Args.of(2, 2))));
            assertEquals(List.of(3, 0), pool.starmap(Tasks::add, List.of(Args.of(1, 2), Args.of(-1, 1))));
            assertEquals(List.of(0, 1, 4), pool.map(Tasks::square, List.of(0, 1, 2)));
            pool.close();
            pool.join();
        }
        try (Stream<String> lines = Files.lines(log)) {
            List<String> mapper = lines.filter(line -> line.contains(" tools.jackson.databind.json.JsonMapper ")
                    || line.contains(" tools.jackson.databind.ObjectMapper ")).toList();
            assertTrue(mapper.isEmpty(), "the worker built the mapper: " + mapper);
        }
    }
}

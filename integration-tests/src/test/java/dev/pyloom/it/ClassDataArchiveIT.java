package dev.pyloom.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.testing.ChildJvm;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workers' class-data archive is only an optimisation: no worker records it (a trainer JVM
 * does, beside the program, and nothing waits for it), workers use it once it exists, a corrupt
 * one is ignored, and the cache it lives in stays bounded. Each test has a cache of its own.
 */
class ClassDataArchiveIT {

    private static final Path ROOT = Path.of(System.getProperty("pyloom.root", "..")).toAbsolutePath().normalize();
    private static final Path APP = ROOT.resolve("integration-tests/launch-app/target");
    private static final String VERSION = System.getProperty("pyloom.version", "0.1.0-SNAPSHOT");
    private static final Duration PATIENCE = Duration.ofSeconds(150);

    @TempDir
    Path cache;

    @AfterEach
    void trainersAreGone() {
        await().atMost(PATIENCE).until(() -> trainers().isEmpty());
    }

    @Test
    void workersNeverRecordTheArchiveATrainerDoesAndLaterWorkersUseIt() throws Exception {
        List<String> first = workers(run());
        for (String worker : first) {
            assertFalse(worker.contains("AutoCreateSharedArchive") || worker.contains("ArchiveClassesAtExit")
                    || worker.contains("RecordDynamicDumpInfo") || worker.contains("SharedArchiveFile"), worker);
        }
        Path archive = awaitArchive();
        for (String worker : workers(run())) {
            assertTrue(worker.contains("-XX:SharedArchiveFile=" + archive), worker);
            assertTrue(worker.contains("-Xshare:auto"), "a worker that cannot use it starts without: " + worker);
        }
    }

    /**
     * The JVM checks little of an archive beyond its header, and crashes on damage behind it: a
     * damaged archive (its header intact) must never reach a worker, and is recorded again.
     */
    @Test
    void aDamagedArchiveNeverReachesAWorkerAndIsRecordedAgain() throws Exception {
        run();
        Path archive = awaitArchive();
        byte[] bytes = Files.readAllBytes(archive);
        java.util.Random random = new java.util.Random(13);
        for (int i = 0; i < 2_000; i++) {
            int at = 4096 + random.nextInt(bytes.length - 4096);
            bytes[at] = (byte) ~bytes[at];
        }
        Files.write(archive, bytes);
        for (String worker : workers(run())) {
            assertFalse(worker.contains("SharedArchiveFile"), "a damaged archive was given to a worker: " + worker);
        }
        try (Stream<Path> files = Files.list(APP)) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().startsWith("hs_err")).toList(),
                    "no JVM crashed");
        }
        Path again = awaitArchive();
        assertFalse(java.util.Arrays.equals(bytes, Files.readAllBytes(again)), "recorded anew");
        for (String worker : workers(run())) {
            assertTrue(worker.contains("-XX:SharedArchiveFile=" + again), worker);
        }
    }

    @Test
    void theCacheIsBounded() throws Exception {
        Path archives = Files.createDirectories(cache.resolve("pyloom/cds"));
        for (int i = 0; i < 10; i++) {
            age(Files.write(archives.resolve("old-" + i + ".jsa"), new byte[1 << 20]), Duration.ofDays(1 + i));
        }
        age(Files.write(archives.resolve("old-0.jsa.4242.tmp"), new byte[1 << 20]), Duration.ofDays(1));
        run();
        Path recorded = awaitArchive();
        List<String> left = names(archives).stream().filter(name -> name.endsWith(".jsa")).toList();
        assertTrue(left.size() <= 6, "at most six archives: " + left);
        assertTrue(names(archives).stream().filter(name -> name.endsWith(".crc"))
                .allMatch(crc -> left.contains(crc.substring(0, crc.length() - ".crc".length()))),
                "checksums go with their archives: " + names(archives));
        assertTrue(left.contains(recorded.getFileName().toString()), "the new one among them: " + left);
        assertTrue(left.contains("old-0.jsa"), "then the most recently used: " + left);
        assertFalse(left.contains("old-9.jsa"), "the least recently used went first: " + left);
        assertFalse(names(archives).contains("old-0.jsa.4242.tmp"), "and what an unfinished recording left: " + left);
    }

    // ------------------------------------------------------------------ helpers

    private ChildJvm.Result run() throws Exception {
        List<String> command = List.of(ChildJvm.javaBinary(), "-cp", APP.resolve("pyloom-it-launch-app-" + VERSION + ".jar")
                + File.pathSeparator + APP.resolve("lib") + File.separator + "*", "dev.pyloom.it.app.ArchiveApp");
        ChildJvm.Result result;
        try (ChildJvm child = ChildJvm.start(command, Map.of("XDG_CACHE_HOME", cache.toString()), APP)) {
            result = child.await(Duration.ofSeconds(120));
        }
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals("squares: [1, 4, 9]", result.stdoutLines().get(result.stdoutLines().size() - 1), result.stdout());
        return result;
    }

    private static List<String> workers(ChildJvm.Result result) {
        List<String> workers = new ArrayList<>();
        for (String line : result.stdoutLines()) {
            if (line.startsWith("worker: ")) {
                workers.add(line);
            }
        }
        assertFalse(workers.isEmpty(), result.stdout());
        return workers;
    }

    /** Waits for the trainer to finish and returns the archive it recorded (the newest). */
    private Path awaitArchive() throws IOException {
        Path archives = cache.resolve("pyloom/cds");
        await().atMost(PATIENCE).until(() -> trainers().isEmpty() && Files.isDirectory(archives));
        try (Stream<Path> files = Files.list(archives)) {
            return files.filter(f -> f.toString().endsWith(".jsa") && !f.getFileName().toString().startsWith("old-"))
                    .findFirst().orElseThrow(() -> new AssertionError("no archive was recorded: " + names(archives)));
        }
    }

    private List<ProcessHandle> trainers() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(line -> line.contains("--record-class-data " + cache)).orElse(false))
                .toList();
    }

    private static void age(Path file, Duration age) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(age)));
    }

    private static List<String> names(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of(e.toString());
        }
    }
}

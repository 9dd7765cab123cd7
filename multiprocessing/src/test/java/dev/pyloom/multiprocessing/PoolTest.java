package dev.pyloom.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.testing.ChildJvm;
import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The Pool's API against Python's ({@link PoolContract}) on this machine's worker JVMs, and what
 * only a local pool has: its size, an initializer, the workers' class path and JVM options.
 */
class PoolTest extends PoolContract {

    @Override
    protected Pool newPool(int processes) {
        return new Pool(processes);
    }

    private static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    // ------------------------------------------------------------------ what only a local pool has

    @Test
    void poolSizeDefaultsToTheProcessorCount() throws Exception {
        assertEquals(Runtime.getRuntime().availableProcessors(), Multiprocessing.cpuCount());
        Pool defaults = new Pool();
        try {
            assertEquals(Multiprocessing.cpuCount(), defaults.processes());
        } finally {
            defaults.terminate();
        }
        assertThrows(IllegalArgumentException.class, () -> new Pool(0));
        assertThrows(IllegalArgumentException.class, () -> Pool.builder().maxTasksPerChild(0));
    }

    @Test
    void initializerRunsInEveryWorkerBeforeItsFirstTask() throws Exception {
        Pool initialized = Pool.builder().processes(2).initializer(Tasks::initialize, "yes").build();
        try {
            assertEquals(List.of("yes", "yes", "yes", "yes"),
                    initialized.map(x -> Tasks.initialized(), range(4), 1));
        } finally {
            initialized.close();
            initialized.join();
        }
    }

    @Test
    void aWorkerWithAFailingInitializerFailsItsTaskInsteadOfHanging() throws Exception {
        Pool broken = Pool.builder().processes(1).initializer(Tasks::failToInitialize).build();
        try {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> broken.applyAsync(Tasks::square, 2).get(60, TimeUnit.SECONDS));
            assertInstanceOf(IllegalStateException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("initializer failed"), e.getCause().getMessage());
        } finally {
            broken.terminate();
        }
    }

    @Test
    void anExplicitClassPathIsWhatTheWorkersGet() throws Exception {
        List<Path> entries = Arrays.stream(ChildJvm.classPath().split(File.pathSeparator)).map(Path::of).toList();
        try (Pool given = Pool.builder().processes(1).classPath(entries).build()) {
            assertEquals(entries.stream().map(e -> e.toAbsolutePath().toString()).toList(),
                    List.of(given.apply(Tasks::classPath).split(File.pathSeparator)));
            assertEquals(9, given.apply(Tasks::square, 3));
        }
        try (Pool wrong = Pool.builder().processes(1).classPath(List.of(Path.of("/nonexistent.jar"))).build()) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> wrong.applyAsync(Tasks::square, 2).get(60, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("WorkerMain"),
                    "the worker's own words: it cannot find pyloom: " + e.getCause().getMessage());
        }
    }

    /** What the thread's context class loader holds and no task needs must not stop a pool. */
    @Test
    void aContextClassLoaderWithEntriesNoChildCanUseIsLeftAlone(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path spaced = java.nio.file.Files.createDirectories(dir.resolve("a dir+with spaces"));
        @SuppressWarnings("deprecation") // File.toURL() makes the raw-space URLs some programs still hand out
        java.net.URL raw = spaced.toFile().toURL();
        java.net.URL remote = java.net.URI.create("http://example.invalid/lib.jar").toURL();
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (java.net.URLClassLoader context = new java.net.URLClassLoader(new java.net.URL[] {raw, remote}, previous)) {
            Thread.currentThread().setContextClassLoader(context);
            try (Pool withIt = new Pool(1)) {
                assertEquals(List.of(1, 4), withIt.map(Tasks::square, List.of(1, 2)));
                assertTrue(withIt.apply(Tasks::classPath).contains(spaced.toString()),
                        "the raw URL read as the JDK reads it");
            }
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    @Test
    void jvmOptionsReachTheWorkers() throws Exception {
        Pool configured = Pool.builder().processes(1).jvmOptions("-Dpyloom.test.initialized=from-options").build();
        try {
            assertEquals("from-options", configured.apply(Tasks::initialized));
        } finally {
            configured.close();
            configured.join();
        }
    }
}

package dev.pyloom.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Java program in a child JVM (the same {@code java} binary as the test, the test's class
 * path) and collects what it printed. The child is always waited for, and killed if it
 * overstays, so no JVM outlives the test.
 */
final class ChildJvm {

    static final Duration PATIENCE = Duration.ofSeconds(60);

    /** What a finished child left behind. */
    record Result(int exitCode, String stdout, String stderr) {
        List<String> stdoutLines() {
            return stdout.lines().toList();
        }
    }

    private ChildJvm() {}

    static String javaBinary() {
        return ProcessHandle.current().info().command().orElseThrow(
                () -> new IllegalStateException("cannot tell which java runs the tests"));
    }

    /**
     * The test's real class path. Surefire and failsafe start tests through a manifest-only jar,
     * so {@code java.class.path} may name just that jar; they publish the real one separately.
     */
    static String testClassPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    /** Where a class was loaded from: a jar, or a classes directory. */
    static Path locationOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The descriptor of the one module in the jar {@code type} was loaded from. */
    static java.lang.module.ModuleDescriptor moduleOf(Class<?> type) {
        Path location = locationOf(type);
        java.util.Set<java.lang.module.ModuleReference> found = java.lang.module.ModuleFinder.of(location).findAll();
        if (found.size() != 1) {
            throw new AssertionError("expected one module at " + location + ", found " + found);
        }
        return found.iterator().next().descriptor();
    }

    /** Runs {@code mainClass} with the test's class path. */
    static Result run(Class<?> mainClass, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-cp", testClassPath(), mainClass.getName()));
        command.addAll(List.of(args));
        return run(command);
    }

    /** Runs an arbitrary java command line, given in full. */
    static Result run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).start();
        try {
            process.getOutputStream().close();
            CompletableFuture<String> stdout = drain(process.getInputStream());
            CompletableFuture<String> stderr = drain(process.getErrorStream());
            if (!process.waitFor(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("child JVM still running after " + PATIENCE + ": " + command);
            }
            return new Result(process.exitValue(), stdout.get(), stderr.get());
        } finally {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, runnable -> Thread.ofVirtual().start(runnable));
    }
}

package dev.pyloom.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A Java program running in a child JVM: the same {@code java} binary as the test, the test's
 * class path, its output collected. A child is always reaped: {@link #close()} kills it if it is
 * still running, and every way of running one ends in {@code close()}, so no JVM outlives the
 * test that started it.
 *
 * <pre>{@code
 * try (ChildJvm child = ChildJvm.start(Echo.class, handle)) {
 *     ...talk to it...
 *     assertEquals(0, child.await().exitCode());
 * }
 * }</pre>
 */
public final class ChildJvm implements AutoCloseable {

    /** How long a child may take before the test gives up on it (and kills it). */
    public static final Duration PATIENCE = Duration.ofSeconds(60);

    /** What a finished child left behind. */
    public record Result(int exitCode, String stdout, String stderr) {
        /**
         * The lines the program printed, without the JVM's own warnings, which the host's state
         * can cause whatever the program does (HotSpot prints
         * {@code [warning][perf,memops] Cannot use file /tmp/hsperfdata_<user>/<pid>} on standard
         * output when another container's process holds the same pid's file).
         */
        public List<String> stdoutLines() {
            return stdout.lines().filter(line -> !JVM_WARNING.matcher(line).lookingAt()).toList();
        }
    }

    /** A line of HotSpot's unified logging at warning level, decorated with the uptime or not. */
    private static final Pattern JVM_WARNING = Pattern.compile("(\\[[0-9.]+s\\])?\\[warning\\]\\[");

    private final Process process;
    private final List<String> command;
    private final CompletableFuture<String> stdout;
    private final CompletableFuture<String> stderr;

    private ChildJvm(List<String> command) throws IOException {
        this(new ProcessBuilder(command));
    }

    private ChildJvm(ProcessBuilder builder) throws IOException {
        this.command = List.copyOf(builder.command());
        this.process = builder.start();
        this.process.getOutputStream().close();
        this.stdout = drain(process.getInputStream());
        this.stderr = drain(process.getErrorStream());
    }

    /** Starts {@code mainClass} with the test's class path and {@code args}. */
    public static ChildJvm start(Class<?> mainClass, String... args) throws IOException {
        return start(List.of(), mainClass, args);
    }

    /** Starts {@code mainClass} with extra JVM options. */
    public static ChildJvm start(List<String> jvmOptions, Class<?> mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath(), mainClass.getName()));
        command.addAll(List.of(args));
        return new ChildJvm(command);
    }

    /** Starts an arbitrary command line, given in full. */
    public static ChildJvm start(List<String> command) throws IOException {
        return new ChildJvm(command);
    }

    /**
     * Starts a command line in {@code directory}, with {@code environment} added to this
     * process's environment (a null value removes a variable).
     */
    public static ChildJvm start(List<String> command, java.util.Map<String, String> environment, Path directory)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        environment.forEach((name, value) -> {
            if (value == null) {
                builder.environment().remove(name);
            } else {
                builder.environment().put(name, value);
            }
        });
        return new ChildJvm(builder);
    }

    /** Runs a command line in {@code directory}, with {@code environment}, to completion. */
    public static Result run(List<String> command, java.util.Map<String, String> environment, Path directory)
            throws Exception {
        try (ChildJvm child = start(command, environment, directory)) {
            return child.await();
        }
    }

    /** Runs {@code mainClass} to completion and returns what it left. */
    public static Result run(Class<?> mainClass, String... args) throws Exception {
        try (ChildJvm child = start(mainClass, args)) {
            return child.await();
        }
    }

    /** Runs a command line to completion. */
    public static Result run(List<String> command) throws Exception {
        try (ChildJvm child = start(command)) {
            return child.await();
        }
    }

    /** The child's process id. */
    public long pid() {
        return process.pid();
    }

    /** The process itself, for tests that kill it or watch it. */
    public Process process() {
        return process;
    }

    /**
     * Waits for the child to exit and returns what it printed.
     *
     * @throws AssertionError if it is still running after {@link #PATIENCE} (it is then killed)
     */
    public Result await() throws Exception {
        return await(PATIENCE);
    }

    /** As {@link #await()}, with patience of its own: a child that runs a build, say. */
    public Result await(Duration patience) throws Exception {
        if (!process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS)) {
            close();
            throw new AssertionError("child JVM still running after " + patience + ": " + command
                    + "\nstderr so far: " + stderr.getNow("(not available)"));
        }
        return new Result(process.exitValue(), stdout.get(), stderr.get());
    }

    /** Kills the child if it is still running, and waits until it is gone. */
    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** The {@code java} running this test. */
    public static String javaBinary() {
        return ProcessHandle.current().info().command().orElseThrow(
                () -> new IllegalStateException("cannot tell which java runs the tests"));
    }

    /**
     * The test's class path, flattened: surefire and failsafe may run tests on the module path
     * (patched modules) and through a manifest-only jar, so both properties are consulted.
     */
    public static String classPath() {
        Set<String> entries = new LinkedHashSet<>();
        for (String property : List.of("jdk.module.path", "surefire.test.class.path", "java.class.path")) {
            String value = System.getProperty(property);
            if (value != null && !value.isBlank()) {
                entries.addAll(List.of(value.split(java.io.File.pathSeparator)));
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    /** The descriptor of the one module in the jar {@code type} was loaded from. */
    public static ModuleDescriptor moduleOf(Class<?> type) {
        Path location = locationOf(type);
        Set<ModuleReference> found = ModuleFinder.of(location).findAll();
        if (found.size() != 1) {
            throw new AssertionError("expected one module at " + location + ", found " + found);
        }
        return found.iterator().next().descriptor();
    }

    /** Where a class was loaded from: a jar, or a classes directory. */
    public static Path locationOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
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

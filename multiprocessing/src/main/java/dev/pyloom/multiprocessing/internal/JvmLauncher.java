package dev.pyloom.multiprocessing.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts child JVMs: the parent's own {@code java}, the class path and module options
 * {@link ChildClasspath} derives, {@link WorkerMain}; standard output shared with the parent (so
 * a task's prints show on the console, as in Python), standard error copied to the parent's a
 * line at a time ({@link ErrorStream}, so that a child that cannot start says why in the
 * exception), standard input a pipe that carries the bootstrap and then stays open until the
 * parent dies.
 *
 * <p>A child uses the class path's {@link ClassDataArchive class-data archive} if there is one;
 * the first child of a class path without one starts a trainer that records it, beside the
 * child and off every caller's path.
 */
public final class JvmLauncher {

    private static final System.Logger LOG = System.getLogger("dev.pyloom.multiprocessing");

    /** JVM options that load an agent: left out of the archive's trainer, which the JVM would refuse. */
    private static final List<String> AGENT_OPTIONS = List.of("-javaagent:", "-agentlib:", "-agentpath:", "-Xrun");

    private JvmLauncher() {}

    /**
     * A child that was started and given its bootstrap: the process, its standard error, and
     * the class-data archive it started with (null if none).
     */
    public record Started(Process process, ErrorStream errors, Path archive) {
        public boolean usedArchive() {
            return archive != null;
        }

        /**
         * The child crashed (SIGSEGV, SIGABRT, SIGBUS) while it used an archive: the archive is
         * suspect, and later children start without it until it is recorded again.
         */
        public void crashedWithArchive() {
            if (archive != null) {
                ClassDataArchive.discard(archive);
            }
        }
    }

    /**
     * Starts a child and hands it {@code bootstrap}. The process's standard input stays open:
     * keep the {@code Process} object for as long as the child should live.
     *
     * @param archive whether the child may use a class-data archive (false to start plainly)
     * @throws IOException if the JVM cannot be started, or exits before it has read its
     *                     bootstrap (the message quotes its standard error)
     */
    public static Started start(Protocol.Bootstrap bootstrap, List<String> jvmOptions, ChildClasspath classes,
            boolean archive) throws IOException {
        List<String> base = baseOptions(jvmOptions);
        ClassDataArchive.Plan plan = archive
                ? ClassDataArchive.plan(classes.classPath(), classes.modulePath(), keyOptions(base, classes))
                : ClassDataArchive.Plan.NONE;
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(plan.options());
        command.addAll(base);
        command.addAll(classes.options());
        command.add(WorkerMain.class.getName());
        Process process = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.PIPE)
                .start();
        ErrorStream errors = ErrorStream.pump(process, bootstrap.name());
        if (plan.recordTo() != null) {
            startTrainer(plan, base, classes);
        }
        try {
            OutputStream stdin = process.getOutputStream();
            stdin.write(bootstrap.encode());
            stdin.write('\n');
            stdin.flush();
        } catch (IOException exited) {
            throw new IOException(startFailure(bootstrap.name(), process, errors, "before it read what to run"), exited);
        }
        Started started = new Started(process, errors, plan.archive());
        if (started.usedArchive()) {
            process.onExit().thenAccept(exited -> {
                int code = exited.exitValue(); // 128 + SIGSEGV, SIGABRT or SIGBUS: the JVM crashed
                if (code == 128 + 11 || code == 128 + 6 || code == 128 + 7) {
                    started.crashedWithArchive();
                }
            });
        }
        return started;
    }

    /**
     * "NAME (pid P) exited with code C WHEN." and what it wrote on standard error, once it has
     * exited (it is killed if it has not within a few seconds).
     */
    public static String startFailure(String name, Process process, ErrorStream errors, String when) {
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
            int code = pythonExitCode(process.exitValue());
            return name + " (pid " + process.pid() + ") exited with code " + code + " " + when + "." + errors.quote();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return name + " (pid " + process.pid() + ") did not start " + when;
        }
    }

    /**
     * A JDK exit value as Python reports it: death by signal n (128 + n to the JDK, the same as
     * {@code System.exit(128 + n)}) as -n.
     */
    public static int pythonExitCode(int exitValue) {
        return exitValue > 128 && exitValue < 128 + 65 ? -(exitValue - 128) : exitValue;
    }

    /** The {@code java} running this JVM. */
    static String javaBinary() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static List<String> baseOptions(List<String> jvmOptions) {
        List<String> options = new ArrayList<>();
        // A worker out of memory is in no state to go on: it exits (status 3), and its task fails
        // with WorkerDiedException, as a worker killed by the kernel's OOM killer would.
        options.add("-XX:+ExitOnOutOfMemoryError");
        // The JVM's own messages (that one, warnings) go to standard error, which the parent
        // reads and quotes when a child dies, not to standard output, which is the tasks'.
        options.add("-XX:+DisplayVMOutputToStderr");
        // A child runs one task at a time, as a Python process does: the serial collector suits
        // it, and starts in half the time of the default G1 (measured: README). Unless the
        // options choose a collector themselves.
        if (jvmOptions.stream().noneMatch(option -> option.matches("-XX:\\+Use\\w+GC"))) {
            options.add("-XX:+UseSerialGC");
        }
        options.addAll(jvmOptions);
        return options;
    }

    /** What an archive depends on besides the jars: the JVM options without agents, and the module options. */
    private static List<String> keyOptions(List<String> base, ChildClasspath classes) {
        List<String> key = new ArrayList<>(withoutAgents(base));
        key.addAll(classes.options());
        return key;
    }

    private static List<String> withoutAgents(List<String> options) {
        return options.stream().filter(o -> AGENT_OPTIONS.stream().noneMatch(o::startsWith)).toList();
    }

    /*
     * The trainer: the children's options without agents, able to dump its archive while it
     * runs. Its output is discarded and nothing waits for it (see ClassDataArchive).
     */
    private static void startTrainer(ClassDataArchive.Plan plan, List<String> base, ChildClasspath classes) {
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(withoutAgents(base));
        command.addAll(List.of("-XX:+RecordDynamicDumpInfo", "-Xshare:auto", "--add-modules=jdk.management",
                // should the JVM crash, its report goes to the cache (pruned), not the program's directory
                "-XX:ErrorFile=" + plan.recordTo().resolveSibling("trainer-crash-%p.log"), "-XX:-CreateCoredumpOnCrash"));
        command.addAll(classes.options());
        command.addAll(List.of(WorkerMain.class.getName(), WorkerMain.RECORD_ARCHIVE, plan.recordTo().toString()));
        try {
            Process trainer = new ProcessBuilder(command)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            trainer.getOutputStream().close();
            LOG.log(Level.DEBUG, () -> "recording the child JVMs' class-data archive " + plan.recordTo()
                    + " in process " + trainer.pid());
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> "could not start the trainer of the class-data archive: " + e);
        }
    }
}

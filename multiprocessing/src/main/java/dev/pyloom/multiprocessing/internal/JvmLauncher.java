package dev.pyloom.multiprocessing.internal;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import tools.jackson.databind.json.JsonMapper;

/**
 * Starts child JVMs: the parent's own {@code java}, the parent's class path, {@link WorkerMain},
 * standard output and error shared with the parent (so a task's prints show on the console, as
 * in Python), standard input a pipe that carries the bootstrap and then stays open until the
 * parent dies.
 *
 * <h2>Start-up</h2>
 *
 * <p>A JVM's start-up is mostly loading and linking classes. When the class path is all jars, a
 * class-data archive of them is kept per class path (in {@code ~/.cache/pyloom/cds}, or the
 * temporary directory) and given to every worker ({@code -XX:SharedArchiveFile}): measured here,
 * a worker reaches its first message in about half the time. The first worker ever started with
 * a given class path records the archive ({@code -XX:+AutoCreateSharedArchive}, written when it
 * exits normally, into a private file that the parent then moves into place); the others start
 * without one until it exists. A class path with a directory in it (a build's
 * {@code target/classes}) cannot be archived: workers then start plainly (logged once, at
 * DEBUG level).
 */
public final class JvmLauncher {

    private static final System.Logger LOG = System.getLogger("dev.pyloom.multiprocessing");
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final AtomicBoolean EXPLAINED = new AtomicBoolean();

    private JvmLauncher() {}

    /** The command line of a child JVM, before its bootstrap. */
    static List<String> command(List<String> jvmOptions, List<String> archiveOptions) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(archiveOptions);
        // A worker out of memory is in no state to go on: it exits (status 3), and its task fails
        // with WorkerDiedException, as a worker killed by the kernel's OOM killer would.
        command.add("-XX:+ExitOnOutOfMemoryError");
        command.addAll(jvmOptions);
        String modulePath = System.getProperty("jdk.module.path");
        if (modulePath != null && !modulePath.isBlank()) {
            command.addAll(List.of("--module-path", modulePath, "--add-modules", "ALL-MODULE-PATH"));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), WorkerMain.class.getName()));
        return command;
    }

    /**
     * Starts a child and hands it {@code bootstrap}. The returned process's standard input stays
     * open: keep the {@code Process} object for as long as the child should live.
     */
    public static Process start(Protocol.Bootstrap bootstrap, List<String> jvmOptions) throws IOException {
        Archive archive = Archive.forThisClassPath();
        Process process = new ProcessBuilder(command(jvmOptions, archive.options()))
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        archive.afterStart(process);
        OutputStream stdin = process.getOutputStream();
        stdin.write(MAPPER.writeValueAsBytes(bootstrap));
        stdin.write('\n');
        stdin.flush();
        return process;
    }

    /** The class-data archive for this class path, and what a starting child does about it. */
    private record Archive(Path file, boolean training, List<String> options) {

        private static final List<String> QUIET = List.of("-Xlog:cds*=off", "-Xshare:auto");

        static Archive forThisClassPath() {
            String classPath = System.getProperty("java.class.path", "");
            List<String> entries = List.of(classPath.split(File.pathSeparator));
            if (Runtime.version().feature() < 19 || classPath.isBlank()
                    || entries.stream().anyMatch(e -> !e.endsWith(".jar") || !Files.isRegularFile(Path.of(e)))) {
                if (EXPLAINED.compareAndSet(false, true)) {
                    LOG.log(Level.DEBUG, "worker JVMs start without a class-data archive: the class path has"
                            + " directories (or the JDK is older than 19), which the JVM cannot archive");
                }
                return new Archive(null, false, List.of());
            }
            Path file = cacheDirectory().resolve(key(entries) + ".jsa");
            if (Files.isRegularFile(file)) {
                List<String> options = new ArrayList<>(QUIET);
                options.add("-XX:SharedArchiveFile=" + file);
                return new Archive(file, false, options);
            }
            Path training = file.resolveSibling(file.getFileName() + ".training");
            try {
                Files.createFile(training); // only one child records the archive
            } catch (IOException someoneElseIs) {
                return new Archive(null, false, List.of());
            }
            Path recording = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
            List<String> options = new ArrayList<>(QUIET);
            options.addAll(List.of("-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + recording));
            return new Archive(file, true, options);
        }

        /* The recording child writes its archive as it exits; the parent moves it into place. */
        void afterStart(Process process) {
            if (!training) {
                return;
            }
            Path recording = Path.of(options.get(options.size() - 1).substring("-XX:SharedArchiveFile=".length()));
            Path lock = file.resolveSibling(file.getFileName() + ".training");
            process.onExit().whenComplete((exited, error) -> {
                try {
                    if (Files.isRegularFile(recording) && Files.size(recording) > 0) {
                        Files.move(recording, file, StandardCopyOption.ATOMIC_MOVE);
                    }
                } catch (IOException e) {
                    LOG.log(Level.DEBUG, () -> "could not keep the worker class-data archive: " + e);
                } finally {
                    try {
                        Files.deleteIfExists(recording);
                        Files.deleteIfExists(lock);
                    } catch (IOException ignored) {
                        // best effort
                    }
                }
            });
        }

        private static Path cacheDirectory() {
            String xdg = System.getenv("XDG_CACHE_HOME");
            Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
            Path dir = base.resolve("pyloom").resolve("cds");
            try {
                return Files.createDirectories(dir);
            } catch (IOException | UnsupportedOperationException e) {
                Path fallback = Path.of(System.getProperty("java.io.tmpdir"), "pyloom-cds-" + System.getProperty("user.name"));
                try {
                    return Files.createDirectories(fallback);
                } catch (IOException again) {
                    throw new java.io.UncheckedIOException(again);
                }
            }
        }

        /** The JDK, and every jar with its size and time: a change to any gives a new archive. */
        private static String key(List<String> entries) {
            try {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                digest.update((System.getProperty("java.home") + "|" + Runtime.version()).getBytes(StandardCharsets.UTF_8));
                for (String entry : entries) {
                    Path jar = Path.of(entry);
                    digest.update((entry + "|" + Files.size(jar) + "|" + Files.getLastModifiedTime(jar).toMillis() + ";")
                            .getBytes(StandardCharsets.UTF_8));
                }
                return HexFormat.of().formatHex(digest.digest(), 0, 16);
            } catch (NoSuchAlgorithmException | IOException e) {
                return "unkeyed-" + Integer.toHexString(entries.hashCode());
            }
        }
    }
}

package dev.pyloom.multiprocessing.internal;

import dev.pyloom.ipc.Json;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

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
    private static final AtomicBoolean EXPLAINED = new AtomicBoolean();

    /** Set to {@code false} to start workers without the class-data archive (to measure it, say). */
    public static final String ARCHIVE_PROPERTY = "pyloom.multiprocessing.cds";

    private JvmLauncher() {}

    /** The command line of a child JVM, before its bootstrap. */
    static List<String> command(List<String> jvmOptions, List<String> archiveOptions) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(archiveOptions);
        // A worker out of memory is in no state to go on: it exits (status 3), and its task fails
        // with WorkerDiedException, as a worker killed by the kernel's OOM killer would.
        command.add("-XX:+ExitOnOutOfMemoryError");
        // A child runs one task at a time, as a Python process does: the serial collector suits
        // it, and starts in half the time of the default G1 (measured: README). Unless the
        // options choose a collector themselves.
        if (jvmOptions.stream().noneMatch(option -> option.matches("-XX:\\+Use\\w+GC"))) {
            command.add("-XX:+UseSerialGC");
        }
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
        Archive archive = Archive.forThisClassPath(jvmOptions);
        Process process = new ProcessBuilder(command(jvmOptions, archive.options()))
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        archive.afterStart(process);
        OutputStream stdin = process.getOutputStream();
        stdin.write(Json.mapper().writeValueAsBytes(bootstrap));
        stdin.write('\n');
        stdin.flush();
        return process;
    }

    /**
     * The class-data archive for this class path (and these JVM options), and what a starting
     * child does about it: use it, record it, or neither.
     */
    private record Archive(Path file, Path recording, Path lock, List<String> options) {

        private static final List<String> QUIET = List.of("-Xlog:cds*=off", "-Xshare:auto");
        private static final Archive NONE = new Archive(null, null, null, List.of());

        static Archive forThisClassPath(List<String> jvmOptions) {
            String classPath = System.getProperty("java.class.path", "");
            List<String> entries = List.of(classPath.split(File.pathSeparator));
            if (!Boolean.parseBoolean(System.getProperty(ARCHIVE_PROPERTY, "true"))) {
                return NONE;
            }
            if (Runtime.version().feature() < 19 || classPath.isBlank()
                    || entries.stream().anyMatch(e -> !e.endsWith(".jar") || !Files.isRegularFile(Path.of(e)))) {
                if (EXPLAINED.compareAndSet(false, true)) {
                    LOG.log(Level.DEBUG, "worker JVMs start without a class-data archive: the class path has"
                            + " directories (or the JDK is older than 19), which the JVM cannot archive");
                }
                return NONE;
            }
            Path directory = cacheDirectory();
            if (directory == null) {
                return NONE;
            }
            Path file = directory.resolve(key(entries, jvmOptions) + ".jsa");
            if (Files.isRegularFile(file)) {
                List<String> options = new ArrayList<>(QUIET);
                options.add("-XX:SharedArchiveFile=" + file);
                return new Archive(file, null, null, options);
            }
            Path lock = file.resolveSibling(file.getFileName() + ".training");
            if (!claim(lock)) {
                return NONE; // another child is recording it; this one starts plainly
            }
            Path recording = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
            List<String> options = new ArrayList<>(QUIET);
            options.addAll(List.of("-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + recording));
            return new Archive(file, recording, lock, options);
        }

        /*
         * The lock says which process is having an archive recorded: only one at a time. A lock
         * left by a process that died (killed while its child was recording) is taken over.
         */
        private static boolean claim(Path lock) {
            String me = Long.toString(ProcessHandle.current().pid());
            try {
                Files.writeString(lock, me, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                return true;
            } catch (IOException taken) {
                try {
                    long holder = Long.parseLong(Files.readString(lock).trim());
                    if (ProcessHandle.of(holder).map(ProcessHandle::isAlive).orElse(false)) {
                        return false;
                    }
                    Files.deleteIfExists(lock);
                    Files.writeString(lock, me, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    return true;
                } catch (IOException | NumberFormatException unreadable) {
                    return false;
                }
            }
        }

        /*
         * The recording child writes its archive as it exits; the parent moves it into place
         * only if the child exited normally (one killed mid-write leaves a broken archive, which
         * the JVM would refuse, silently, forever).
         */
        void afterStart(Process process) {
            if (recording == null) {
                return;
            }
            process.onExit().whenComplete((exited, error) -> {
                try {
                    if (error == null && exited.exitValue() == 0 && Files.isRegularFile(recording)
                            && Files.size(recording) > 0) {
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

        /**
         * Where archives are kept: {@code $XDG_CACHE_HOME/pyloom/cds} or {@code ~/.cache/pyloom/cds};
         * failing that, a directory of this user's own in the temporary directory, readable by
         * nobody else (an archive is code the JVM trusts). Null if there is no such place.
         */
        private static Path cacheDirectory() {
            String xdg = System.getenv("XDG_CACHE_HOME");
            Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
            try {
                return Files.createDirectories(base.resolve("pyloom").resolve("cds"));
            } catch (IOException | RuntimeException e) {
                return privateTemporaryDirectory();
            }
        }

        private static Path privateTemporaryDirectory() {
            Path dir = Path.of(System.getProperty("java.io.tmpdir"), "pyloom-cds-" + System.getProperty("user.name"));
            try {
                try {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } catch (FileAlreadyExistsException exists) {
                    // checked below
                }
                boolean ours = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName().equals(System.getProperty("user.name"))
                        && Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS)
                                .equals(PosixFilePermissions.fromString("rwx------"));
                return ours ? dir : null;
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        /** The JDK, the JVM options, and every jar with its size and time: a change to any gives a new archive. */
        private static String key(List<String> entries, List<String> jvmOptions) {
            try {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                digest.update((System.getProperty("java.home") + "|" + Runtime.version() + "|" + String.join(" ", jvmOptions))
                        .getBytes(StandardCharsets.UTF_8));
                for (String entry : entries) {
                    Path jar = Path.of(entry);
                    digest.update((entry + "|" + Files.size(jar) + "|" + Files.getLastModifiedTime(jar).toMillis() + ";")
                            .getBytes(StandardCharsets.UTF_8));
                }
                return HexFormat.of().formatHex(digest.digest(), 0, 16);
            } catch (NoSuchAlgorithmException | IOException e) {
                return "unkeyed-" + Integer.toHexString((entries + "|" + jvmOptions).hashCode());
            }
        }
    }
}

package dev.pyloom.ipc.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * Where this process's Unix domain sockets live: one fresh directory, created with mode
 * {@code rwx------} so that no other user can reach a socket in it, removed with everything in it
 * when the JVM exits ({@link ExitSequence}, after whatever still needs it). Python's
 * {@code multiprocessing} does the same with {@code mkdtemp()}.
 *
 * <p>The directory is made on first use, in {@code java.io.tmpdir}. If it cannot be (the
 * directory is missing, read-only, full), every use says so with an {@code IOException} naming
 * the directory and the property, and tries again: once the directory is there, sockets work.
 */
public final class SocketFiles {

    /** A socket path must fit in sockaddr_un (108 bytes on Linux, less elsewhere). */
    private static final int MAX_PATH = 100;

    private static final AtomicLong NEXT = new AtomicLong();
    private static final ReentrantLock CREATING = new ReentrantLock();
    private static volatile Path directory; // written once, under CREATING

    private SocketFiles() {}

    /**
     * The private directory, created on first use.
     *
     * @throws IOException if it cannot be created, naming where and what to set
     */
    public static Path directory() throws IOException {
        Path dir = directory;
        if (dir != null) {
            return dir;
        }
        CREATING.lock();
        try {
            if (directory == null) {
                directory = create();
            }
            return directory;
        } finally {
            CREATING.unlock();
        }
    }

    private static Path create() throws IOException {
        String tmpdir = System.getProperty("java.io.tmpdir");
        Path base = Path.of(tmpdir);
        if (base.toAbsolutePath().toString().length() > MAX_PATH - 40) {
            base = Path.of("/tmp"); // a socket's path must be short; the directory's name is short
        }
        Path dir;
        try {
            dir = Files.createTempDirectory(base, "pyloom-ipc-" + ProcessHandle.current().pid() + "-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            throw new IOException("cannot create a private directory for pyloom's sockets in " + base.toAbsolutePath()
                    + " (java.io.tmpdir is " + tmpdir + "): " + e
                    + ". Set java.io.tmpdir (-Djava.io.tmpdir=...) to an existing directory this user can write.", e);
        }
        ExitSequence.lastly(() -> deleteTree(dir));
        removeLeftovers(base);
        return dir;
    }

    /*
     * A process killed by SIGKILL runs no exit actions and leaves its directory behind: the next
     * process to make one removes those of processes that are gone (its own user's; a process id
     * in use again keeps its directory until later).
     */
    private static void removeLeftovers(Path base) {
        String user = System.getProperty("user.name");
        try (Stream<Path> entries = Files.list(base)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (!name.startsWith("pyloom-ipc-")) {
                    continue;
                }
                String[] parts = name.split("-");
                try {
                    long pid = Long.parseLong(parts[2]);
                    boolean gone = ProcessHandle.of(pid).map(handle -> !handle.isAlive()).orElse(true);
                    if (gone && Files.getOwner(entry).getName().equals(user)) {
                        deleteTree(entry);
                    }
                } catch (RuntimeException | IOException notOurs) {
                    // not a directory of this kind, or not ours to touch
                }
            }
        } catch (IOException | UncheckedIOException unreadable) {
            // nothing to tidy
        }
    }

    /**
     * A new, unused socket address in the private directory, e.g. {@code listener-3.sock}.
     *
     * @throws IOException if the directory cannot be created
     */
    public static UnixDomainSocketAddress newAddress(String prefix) throws IOException {
        return UnixDomainSocketAddress.of(directory().resolve(prefix + "-" + NEXT.incrementAndGet() + ".sock"));
    }

    /**
     * Removes the private directory now, with everything in it, if it was made: for a process
     * about to halt, which runs no exit actions.
     */
    public static void deleteDirectory() {
        Path dir = directory;
        if (dir != null) {
            deleteTree(dir);
        }
    }

    /** Removes a socket file; a missing one is fine. */
    public static void delete(UnixDomainSocketAddress address) {
        try {
            Files.deleteIfExists(address.getPath());
        } catch (IOException ignored) {
            // best effort: the directory goes at exit anyway
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // the JVM is exiting; nothing more to do
        }
    }
}

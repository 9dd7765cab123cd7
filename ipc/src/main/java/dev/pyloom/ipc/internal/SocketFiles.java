package dev.pyloom.ipc.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Where this process's Unix domain sockets live: one fresh directory, created with mode
 * {@code rwx------} so that no other user can reach a socket in it, removed with everything in it
 * when the JVM exits. Python's {@code multiprocessing} does the same with {@code mkdtemp()}.
 */
public final class SocketFiles {

    /** A socket path must fit in sockaddr_un (108 bytes on Linux, less elsewhere). */
    private static final int MAX_PATH = 100;

    private static final AtomicLong NEXT = new AtomicLong();

    private SocketFiles() {}

    private static final class Directory {
        static final Path PATH = create();

        private static Path create() {
            try {
                Path base = Path.of(System.getProperty("java.io.tmpdir"));
                if (base.toAbsolutePath().toString().length() > MAX_PATH - 40) {
                    base = Path.of("/tmp");
                }
                Path dir = Files.createTempDirectory(base, "pyloom-ipc-" + ProcessHandle.current().pid() + "-",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir), "pyloom-ipc-cleanup"));
                return dir;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a private directory for sockets", e);
            }
        }
    }

    /** The private directory (created on first use). */
    public static Path directory() {
        return Directory.PATH;
    }

    /** A new, unused socket address in the private directory, e.g. {@code listener-3.sock}. */
    public static UnixDomainSocketAddress newAddress(String prefix) {
        return UnixDomainSocketAddress.of(directory().resolve(prefix + "-" + NEXT.incrementAndGet() + ".sock"));
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

package dev.pyloom.multiprocessing.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * pyloom's cache on disk: {@code $XDG_CACHE_HOME/pyloom/<kind>} or {@code ~/.cache/pyloom/<kind>},
 * failing both a directory of this user's own, readable by nobody else, in the temporary
 * directory. It holds what makes child JVMs start faster or start at all (class-data archives,
 * the jars of a Spring Boot application taken out of its executable jar), all of it derived
 * from files elsewhere and safe to delete at any time.
 *
 * <p>Bounded: {@link #prune} keeps the most recently used entries up to a count and a size,
 * and removes what half-finished work left behind. Whoever adds an entry prunes; whoever uses
 * one marks it used ({@link #touch}), so that what is in use is what stays; a directory a
 * running JVM may still read from is held in use ({@link #holdInUse}) and never pruned.
 */
public final class CacheDirectory {

    /** Temporary files and abandoned work older than this are removed by {@link #prune}. */
    static final Duration ABANDONED = Duration.ofHours(1);

    private CacheDirectory() {}

    /**
     * The cache directory for {@code kind}, created if need be.
     *
     * @throws IOException if there is no writable place for it, naming the places tried
     */
    public static Path of(String kind) throws IOException {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        Path preferred = base.resolve("pyloom").resolve(kind);
        try {
            Path dir = Files.createDirectories(preferred);
            if (Files.isWritable(dir)) {
                return dir;
            }
        } catch (IOException | UncheckedIOException | SecurityException | UnsupportedOperationException notThere) {
            // try the temporary directory
        }
        Path fallback = privateTemporaryDirectory().resolve(kind);
        try {
            return Files.createDirectories(fallback);
        } catch (IOException e) {
            throw new IOException("no directory for pyloom's cache: neither " + preferred + " nor " + fallback
                    + " can be written (set XDG_CACHE_HOME, or java.io.tmpdir, to a writable directory)", e);
        }
    }

    /*
     * An archive is code the JVM trusts: a directory in a shared /tmp must be this user's own
     * and closed to everyone else, or an attacker could plant one.
     */
    private static Path privateTemporaryDirectory() throws IOException {
        String user = System.getProperty("user.name");
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "pyloom-cache-" + user);
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException exists) {
            // checked below
        } catch (UnsupportedOperationException notPosix) {
            Files.createDirectories(dir);
            return dir;
        }
        boolean ours = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName().equals(user)
                && Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS)
                        .equals(PosixFilePermissions.fromString("rwx------"));
        if (!ours) {
            throw new IOException(dir + " belongs to another user or is open to others");
        }
        return dir;
    }

    /** The file in a directory entry whose OS lock says a process uses it. */
    static final String IN_USE = "in-use.lock";

    /** The in-use locks this JVM holds, one per directory, for as long as it runs. */
    private static final Map<Path, FileChannel> HELD = new ConcurrentHashMap<>();

    /**
     * Marks a directory entry as used by this JVM for as long as it runs (a shared OS lock, let
     * go of by the kernel when the JVM ends, however it ends): pruning leaves it alone. For what
     * a JVM may open at any time, such as the jars its children's class path names.
     */
    static void holdInUse(Path directory) throws IOException {
        if (HELD.containsKey(directory)) {
            return;
        }
        Path lockFile = directory.resolve(IN_USE);
        for (;;) {
            Files.createDirectories(directory);
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            try {
                channel.lock(0, Long.MAX_VALUE, true);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            if (!Files.exists(lockFile)) {
                channel.close(); // pruned while this JVM waited for the lock: start again
                continue;
            }
            if (HELD.putIfAbsent(directory, channel) != null) {
                channel.close();
            }
            return;
        }
    }

    /** Marks an entry used now, so that pruning keeps it. Best effort. */
    public static void touch(Path entry) {
        try {
            Files.setLastModifiedTime(entry, FileTime.from(Instant.now()));
        } catch (IOException | RuntimeException ignored) {
            // an entry that cannot be touched is merely pruned sooner
        }
    }

    /**
     * Keeps the most recently used entries of {@code dir} whose names end with {@code suffix}: at
     * most {@code maxEntries}, and at most {@code maxBytes} together (the newest is kept even if
     * larger). Other files older than {@link #ABANDONED} (temporary files, markers of work that
     * was never finished) are removed.
     */
    public static void prune(Path dir, String suffix, int maxEntries, long maxBytes) {
        List<Path> entries = new ArrayList<>();
        List<Path> others = new ArrayList<>();
        try (Stream<Path> listing = Files.list(dir)) {
            Instant abandoned = Instant.now().minus(ABANDONED);
            for (Path path : listing.toList()) {
                if (path.getFileName().toString().endsWith(suffix)) {
                    entries.add(path);
                } else if (lastUsed(path).isBefore(abandoned)) {
                    deleteTree(path);
                } else {
                    others.add(path);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            return;
        }
        // an entry's companions (its checksum: x.jsa.crc) go with it
        for (Path other : others) {
            String name = other.getFileName().toString();
            int dot = name.lastIndexOf('.');
            if (dot > 0 && name.substring(0, dot).endsWith(suffix) && !Files.exists(other.resolveSibling(name.substring(0, dot)))) {
                deleteTree(other);
            }
        }
        entries.sort(Comparator.comparing(CacheDirectory::lastUsed).reversed());
        long bytes = 0;
        for (int i = 0; i < entries.size(); i++) {
            bytes += size(entries.get(i));
            if (i > 0 && (i >= maxEntries || bytes > maxBytes)) {
                deleteUnlessInUse(entries.get(i));
                if (!Files.exists(entries.get(i))) {
                    deleteCompanions(entries.get(i));
                }
            }
        }
    }

    private static void deleteCompanions(Path entry) {
        try (Stream<Path> listing = Files.list(entry.getParent())) {
            String prefix = entry.getFileName() + ".";
            for (Path path : listing.toList()) {
                String name = path.getFileName().toString();
                if (name.startsWith(prefix) && !name.endsWith(".tmp")) {
                    deleteTree(path);
                }
            }
        } catch (IOException | UncheckedIOException ignored) {
            // what is left goes as abandoned, later
        }
    }

    /*
     * A directory some JVM holds in use (see holdInUse) stays. The exclusive lock that proves it
     * is not is held while its files go, so that a JVM that starts using it meanwhile waits, and
     * then finds it gone and fills it again.
     */
    private static void deleteUnlessInUse(Path entry) {
        Path lockFile = entry.resolve(IN_USE);
        if (!Files.isDirectory(entry) || !Files.exists(lockFile)) {
            deleteTree(entry);
            return;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            if (channel.tryLock() == null) {
                return; // another JVM uses it
            }
            deleteTree(entry);
        } catch (OverlappingFileLockException usedHere) {
            // this JVM holds it
        } catch (IOException e) {
            // left for next time
        }
    }

    private static Instant lastUsed(Path path) {
        try {
            return Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS).toInstant();
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }

    private static long size(Path path) {
        try (Stream<Path> files = Files.walk(path)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> {
                try {
                    return Files.size(file);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    static void deleteTree(Path path) {
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException | UncheckedIOException ignored) {
            // whatever is left goes next time
        }
    }
}

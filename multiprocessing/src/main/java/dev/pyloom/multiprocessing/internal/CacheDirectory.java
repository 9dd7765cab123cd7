package dev.pyloom.multiprocessing.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
 * one marks it used ({@link #touch}), so that what is in use is what stays.
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
        try (Stream<Path> listing = Files.list(dir)) {
            Instant abandoned = Instant.now().minus(ABANDONED);
            for (Path path : listing.toList()) {
                if (path.getFileName().toString().endsWith(suffix)) {
                    entries.add(path);
                } else if (lastUsed(path).isBefore(abandoned)) {
                    deleteTree(path);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            return;
        }
        entries.sort(Comparator.comparing(CacheDirectory::lastUsed).reversed());
        long bytes = 0;
        for (int i = 0; i < entries.size(); i++) {
            bytes += size(entries.get(i));
            if (i > 0 && (i >= maxEntries || bytes > maxBytes)) {
                deleteTree(entries.get(i));
            }
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

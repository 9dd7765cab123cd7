package dev.pyloom.multiprocessing.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The class-data archive of a child JVM's class path: the classes a worker loads on its way to
 * its first task (the JSON mapper, the connection, pyloom's own), parsed and laid out once and
 * then mapped into every worker, which starts in about half the time.
 *
 * <p>It is only ever an optimisation. A child is never started in a way that could fail because
 * of it:
 * <ul>
 *   <li>A worker uses an archive that exists ({@code -XX:SharedArchiveFile} with
 *       {@code -Xshare:auto}, so the JVM ignores one it cannot use) and never records one. An
 *       archive is given to children only if its checksum, recorded by its trainer, matches:
 *       the JVM trusts an archive's contents, and a damaged one would crash them. One that a
 *       child crashed on while starting is removed.</li>
 *   <li>When there is none yet, the first child starts without, and a <em>trainer</em> JVM is
 *       started beside it ({@link ArchiveTrainer}): it rehearses what a worker does, writes the
 *       archive while it runs ({@code VM.cds dynamic_dump}) under a temporary name, moves it
 *       into place, prunes the cache and exits. Nothing waits for it: not the pool, not
 *       {@code join()}, not this JVM's exit, which it outlives by the second or two it takes.
 *       It runs without the children's agents ({@code -javaagent} and the like), which the JVM
 *       will not record an archive with; the archive then serves children with them too.</li>
 *   <li>One trainer at a time records an archive: it holds an OS lock on the archive's lock file
 *       while it runs. After {@link #MAX_ATTEMPTS} attempts that recorded nothing, the class path
 *       is marked as one that cannot be archived, and children start without.</li>
 *   <li>A class path with a directory in it (a build's {@code target/classes}) cannot be
 *       archived: the JVM refuses directories. Children then start without.</li>
 * </ul>
 *
 * <p>Archives live in {@link CacheDirectory pyloom's cache} ({@code ~/.cache/pyloom/cds}), one
 * per JDK, JVM options and class path (each jar's size and time are in the key, so a rebuilt
 * jar gets a new archive), at most {@link #MAX_ARCHIVES} and {@link #MAX_BYTES} together, the
 * least recently used removed first. {@code -Dpyloom.multiprocessing.cds=false} turns all of
 * it off.
 */
public final class ClassDataArchive {

    /** Set to {@code false} to start children without a class-data archive (to measure it, say). */
    public static final String PROPERTY = "pyloom.multiprocessing.cds";

    static final int MAX_ARCHIVES = 6;
    static final long MAX_BYTES = 384L << 20;
    static final int MAX_ATTEMPTS = 2;

    /** The options a child uses an archive with, quietly: one it cannot use is ignored, not fatal. */
    private static final List<String> QUIET = List.of("-Xshare:auto", "-Xlog:cds=off", "-Xlog:cds+dynamic=off");

    private static final System.Logger LOG = System.getLogger("dev.pyloom.multiprocessing");
    private static final AtomicBoolean EXPLAINED = new AtomicBoolean();
    private static final Set<String> TOUCHED = ConcurrentHashMap.newKeySet();
    private static final Set<String> TRAINED_HERE = ConcurrentHashMap.newKeySet();
    private static final java.util.Map<Path, Boolean> CHECKED = new ConcurrentHashMap<>(); // archive -> intact

    /**
     * What a child does about the archive: the options that use it (empty if there is none), and
     * where a trainer should record one (null if none should be recorded now).
     */
    public record Plan(List<String> options, Path recordTo, Path lock) {
        static final Plan NONE = new Plan(List.of(), null, null);

        public boolean uses() {
            return !options.isEmpty();
        }

        /** The archive a child was given, or null. */
        Path archive() {
            return options.stream().filter(o -> o.startsWith("-XX:SharedArchiveFile=")).findFirst()
                    .map(o -> Path.of(o.substring("-XX:SharedArchiveFile=".length()))).orElse(null);
        }
    }

    private ClassDataArchive() {}

    /**
     * The plan for a child with this class path, module path and JVM options (agents left out of
     * {@code options} by the caller: they do not change what is archived).
     */
    static Plan plan(List<String> classPath, List<String> modulePath, List<String> options) {
        if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true"))) {
            return Plan.NONE;
        }
        List<String> entries = new ArrayList<>(classPath);
        entries.addAll(modulePath);
        if (entries.isEmpty() || entries.stream().anyMatch(e -> !e.endsWith(".jar") || !Files.isRegularFile(Path.of(e)))) {
            if (EXPLAINED.compareAndSet(false, true)) {
                LOG.log(Level.DEBUG, "child JVMs start without a class-data archive: their class path has"
                        + " directories, which the JVM cannot archive");
            }
            return Plan.NONE;
        }
        Path directory;
        String key;
        try {
            directory = CacheDirectory.of("cds");
            key = key(entries, options);
        } catch (IOException e) {
            return Plan.NONE;
        }
        Path archive = directory.resolve(key + ".jsa");
        if (Files.isRegularFile(archive) && intact(archive)) {
            if (TOUCHED.add(key)) {
                CacheDirectory.touch(archive);
            }
            List<String> use = new ArrayList<>(QUIET);
            use.add("-XX:SharedArchiveFile=" + archive);
            return new Plan(List.copyOf(use), null, null);
        }
        if (Files.exists(directory.resolve(key + ".bad")) || TRAINED_HERE.contains(key)) {
            return Plan.NONE;
        }
        Path lock = directory.resolve(key + ".training");
        return nextAttempt(lock, directory.resolve(key + ".bad")) && TRAINED_HERE.add(key)
                ? new Plan(List.of(), archive, lock) : Plan.NONE;
    }

    /*
     * The JVM trusts an archive's contents: a damaged one (a bad disk, a careless hand) crashes
     * every child that maps it. So the trainer records a checksum beside it, and this JVM checks
     * it once per archive before any child is given it (a few milliseconds); an archive that
     * does not match is removed, and the next child records it again.
     */
    private static boolean intact(Path archive) {
        Boolean known = CHECKED.get(archive);
        if (known != null) {
            return known;
        }
        boolean intact;
        try {
            intact = Files.readString(checksumFile(archive)).trim().equals(checksum(archive));
        } catch (IOException | RuntimeException missing) {
            intact = false;
        }
        if (!intact) {
            discard(archive);
        }
        CHECKED.put(archive, intact);
        return intact;
    }

    /** The file beside an archive that holds its checksum. */
    static Path checksumFile(Path archive) {
        return archive.resolveSibling(archive.getFileName() + ".crc");
    }

    /** An archive's CRC-32C, in hexadecimal. */
    static String checksum(Path archive) throws IOException {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        try (FileChannel channel = FileChannel.open(archive, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
            while (channel.read(buffer.clear()) >= 0) {
                crc.update(buffer.flip());
            }
        }
        return Long.toHexString(crc.getValue());
    }

    /**
     * Removes an archive a child could not use (it crashed a child, or its checksum does not
     * match): children start without it until it is recorded again.
     */
    static void discard(Path archive) {
        try {
            Files.deleteIfExists(archive);
            Files.deleteIfExists(checksumFile(archive));
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> "could not remove the class-data archive " + archive + ": " + e);
        }
        CHECKED.remove(archive);
        TRAINED_HERE.remove(archive.getFileName().toString().replace(".jsa", ""));
    }

    /**
     * Counts another attempt at recording an archive, unless one is under way or enough have
     * failed. The lock file holds the number of attempts so far; a trainer holds an OS lock on it
     * while it runs (the kernel lets go of it when the trainer exits, however it exits). After
     * {@link #MAX_ATTEMPTS} that recorded nothing, the archive is given up ({@code bad}), and
     * children start without it.
     */
    private static boolean nextAttempt(Path lock, Path bad) {
        try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            FileLock held = channel.tryLock();
            if (held == null) {
                return false; // a trainer is at work
            }
            ByteBuffer text = ByteBuffer.allocate(16);
            channel.read(text, 0);
            int attempts;
            try {
                attempts = Integer.parseInt(new String(text.array(), 0, text.position(), StandardCharsets.US_ASCII).trim());
            } catch (NumberFormatException none) {
                attempts = 0;
            }
            if (attempts >= MAX_ATTEMPTS) {
                Files.writeString(bad, MAX_ATTEMPTS + " trainers did not record an archive");
                return false;
            }
            channel.truncate(0).write(ByteBuffer.wrap(Integer.toString(attempts + 1).getBytes(StandardCharsets.US_ASCII)), 0);
            return true;
        } catch (IOException | OverlappingFileLockException e) {
            return false;
        }
    }

    /** The JDK, the JVM options, and every jar with its size and time: a change to any gives a new archive. */
    private static String key(List<String> entries, List<String> options) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((System.getProperty("java.home") + "|" + Runtime.version() + "|" + String.join(" ", options))
                    .getBytes(StandardCharsets.UTF_8));
            for (String entry : entries) {
                Path jar = Path.of(entry);
                digest.update((entry + "|" + Files.size(jar) + "|" + Files.getLastModifiedTime(jar).toMillis() + ";")
                        .getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}

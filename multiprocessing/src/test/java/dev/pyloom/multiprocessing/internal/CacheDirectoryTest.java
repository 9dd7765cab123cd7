package dev.pyloom.multiprocessing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache stays bounded: the most recently used entries up to a count and a size, and no leftovers. */
class CacheDirectoryTest {

    @TempDir
    Path dir;

    @Test
    void pruningKeepsTheMostRecentlyUsedUpToTheCount() throws IOException {
        for (int i = 0; i < 10; i++) {
            entry("archive-" + i + ".jsa", 100, Duration.ofMinutes(10 - i)); // archive-9 is the newest
        }
        CacheDirectory.prune(dir, ".jsa", 6, Long.MAX_VALUE);
        assertEquals(List.of("archive-4.jsa", "archive-5.jsa", "archive-6.jsa", "archive-7.jsa", "archive-8.jsa",
                "archive-9.jsa"), names());
    }

    @Test
    void pruningKeepsTheTotalUnderTheSizeButAlwaysTheNewest() throws IOException {
        entry("old.jsa", 400, Duration.ofMinutes(3));
        entry("middle.jsa", 400, Duration.ofMinutes(2));
        entry("new.jsa", 400, Duration.ofMinutes(1));
        CacheDirectory.prune(dir, ".jsa", 10, 900);
        assertEquals(List.of("middle.jsa", "new.jsa"), names());
        CacheDirectory.prune(dir, ".jsa", 10, 100);
        assertEquals(List.of("new.jsa"), names(), "the newest stays even when it alone is over the size");
    }

    @Test
    void aUsedEntryIsKeptAndLeftoversOfUnfinishedWorkGo() throws IOException {
        entry("a.jsa", 10, Duration.ofMinutes(5));
        entry("b.jsa", 10, Duration.ofMinutes(4));
        entry("b.jsa.123.tmp", 10, Duration.ofHours(2));
        entry("c.training", 10, Duration.ofHours(3));
        entry("d.jsa.456.tmp", 10, Duration.ofMinutes(1)); // a trainer at work right now
        CacheDirectory.touch(dir.resolve("a.jsa"));
        CacheDirectory.prune(dir, ".jsa", 1, Long.MAX_VALUE);
        assertEquals(List.of("a.jsa", "d.jsa.456.tmp"), names());
    }

    @Test
    void anEntrysCompanionsGoWithIt() throws IOException {
        entry("old.jsa", 10, Duration.ofMinutes(2));
        entry("old.jsa.crc", 10, Duration.ofMinutes(2));
        entry("new.jsa", 10, Duration.ofMinutes(1));
        entry("new.jsa.crc", 10, Duration.ofMinutes(1));
        entry("gone.jsa.crc", 10, Duration.ofMinutes(1)); // its archive was removed by hand
        CacheDirectory.prune(dir, ".jsa", 1, Long.MAX_VALUE);
        assertEquals(List.of("new.jsa", "new.jsa.crc"), names());
    }

    @Test
    void directoriesCountWithEverythingInThem() throws IOException {
        Path older = Files.createDirectories(dir.resolve("older.jars"));
        Files.write(older.resolve("x.jar"), new byte[500]);
        Files.setLastModifiedTime(older, FileTime.from(Instant.now().minus(Duration.ofMinutes(5))));
        Path newer = Files.createDirectories(dir.resolve("newer.jars"));
        Files.write(newer.resolve("y.jar"), new byte[500]);
        CacheDirectory.prune(dir, ".jars", 10, 600);
        assertEquals(List.of("newer.jars"), names());
    }

    @Test
    void aDirectoryHeldInUseIsNeverPruned() throws IOException {
        Path used = Files.createDirectories(dir.resolve("used.jars"));
        CacheDirectory.holdInUse(used);
        Files.write(used.resolve("x.jar"), new byte[10]);
        Files.setLastModifiedTime(used, FileTime.from(Instant.now().minus(Duration.ofDays(30))));
        Files.createDirectories(dir.resolve("newer.jars"));
        CacheDirectory.prune(dir, ".jars", 1, Long.MAX_VALUE);
        assertEquals(List.of("newer.jars", "used.jars"), names(), "the old one is in use by this JVM's children");
    }

    private void entry(String name, int bytes, Duration age) throws IOException {
        Path file = Files.write(dir.resolve(name), new byte[bytes]);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(age)));
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}

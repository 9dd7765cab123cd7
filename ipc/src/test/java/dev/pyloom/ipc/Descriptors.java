package dev.pyloom.ipc;

import dev.pyloom.testing.Spawned;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** This process's open file descriptors, as the tests that look for leaks count them. */
final class Descriptors {

    private Descriptors() {}

    /** How many are open now. */
    static long count() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    /** Waits until no more than a few more are open than {@code before}; fails, saying which kinds, if not. */
    static void awaitBackTo(long before) throws IOException {
        try {
            Spawned.awaitUntil(() -> count() <= before + 3);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("descriptors: " + before + " before, " + count() + " now: " + kinds(), e);
        }
    }

    /** How many of each kind are open (socket, anon_inode:[eventpoll], a file's path...). */
    static Map<String, Long> kinds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().replaceAll("\\[\\d+\\]", "");
                } catch (IOException gone) {
                    return "gone";
                }
            }).collect(Collectors.groupingBy(kind -> kind, TreeMap::new, Collectors.counting()));
        }
    }
}

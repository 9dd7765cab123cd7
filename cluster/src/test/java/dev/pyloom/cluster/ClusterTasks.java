package dev.pyloom.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Tasks the cluster tests send to nodes' workers. */
final class ClusterTasks {

    private ClusterTasks() {}

    static int square(int x) {
        return x * x;
    }

    /** The node whose worker runs it. */
    static String node() {
        return System.getProperty("pyloom.node");
    }

    /** {@link #node()}, after {@code millis}. */
    static String nodeAfter(int millis) throws InterruptedException {
        Thread.sleep(millis);
        return node();
    }

    /**
     * Notes in {@code directory} that {@code item} runs (a line in a file named after it), then
     * sleeps {@code millis} and returns {@code item}.
     */
    static int recordThenSleep(String directory, int item, int millis) throws IOException, InterruptedException {
        Files.writeString(Path.of(directory, "run-" + item), node() + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Thread.sleep(millis);
        return item;
    }

    /** Writes its worker's process id to a file named after {@code item} in {@code directory}, then sleeps {@code millis}. */
    static int recordPidThenSleep(String directory, int item, int millis) throws IOException, InterruptedException {
        Files.writeString(Path.of(directory, "pid-" + item), Long.toString(ProcessHandle.current().pid()));
        Thread.sleep(millis);
        return item;
    }

    static int fail(String message) {
        throw new IllegalArgumentException(message);
    }

    static int exit(int code) {
        Runtime.getRuntime().halt(code);
        return code;
    }

    static long pid() {
        return ProcessHandle.current().pid();
    }
}

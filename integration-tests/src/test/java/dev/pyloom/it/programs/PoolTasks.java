package dev.pyloom.it.programs;

import dev.pyloom.ipc.Queue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Tasks the integration scenarios hand to a {@code Pool}: they run in its worker JVMs. A class
 * of their own, so that a worker loads nothing of the tests that submit them.
 */
public final class PoolTasks {

    /**
     * How long a task waits for its gate before it gives up (and fails): a test that fails
     * before opening a gate leaves no worker blocked for good.
     */
    private static final Duration GATE_PATIENCE = Duration.ofSeconds(60);

    private PoolTasks() {}

    public static int square(int x) {
        return x * x;
    }

    public static int negate(int x) {
        return -x;
    }

    /**
     * Says it has started (puts {@code tag} on {@code started}), then waits for a value on
     * {@code gate} and returns it: a task that runs until the test says it may end.
     */
    public static int startThenWait(Queue<String> started, Queue<Integer> gate, String tag) throws IOException {
        started.put(tag);
        return gate.get(GATE_PATIENCE);
    }

    /**
     * Creates the file {@code path} and returns its name: a side effect the test can look for,
     * made before the task's result leaves the worker.
     */
    public static String touch(String path) throws IOException {
        return Files.createFile(Path.of(path)).getFileName().toString();
    }
}

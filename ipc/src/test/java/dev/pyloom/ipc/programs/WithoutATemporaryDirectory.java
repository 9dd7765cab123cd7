package dev.pyloom.ipc.programs;

import dev.pyloom.ipc.Listener;
import dev.pyloom.ipc.Pipe;
import dev.pyloom.ipc.Queue;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs with a {@code java.io.tmpdir} that does not exist: opens a listener (twice), uses a pipe
 * and hands out a queue, printing what each throws; then creates the directory and opens a
 * listener again.
 */
public final class WithoutATemporaryDirectory {

    private interface Attempt {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        attempt("listener", Listener::open);
        attempt("listener again", Listener::open);
        attempt("pipe", () -> Pipe.open().conn1().send("needs a socket pair"));
        attempt("queue handle", () -> Queue.create().toHandle());
        Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
        try (Listener listener = Listener.open()) {
            System.out.println("recovered: " + listener.address());
        }
    }

    private static void attempt(String what, Attempt attempt) {
        try {
            attempt.run();
            System.out.println(what + ": worked");
        } catch (Exception e) {
            System.out.println(what + ": " + e.getClass().getName() + ": " + e.getMessage());
        }
    }
}

package dev.pyloom.it.app;

import dev.pyloom.multiprocessing.Pool;
import java.util.List;
import java.util.TreeSet;

/** Prints how each worker of a pool of two was started (its command line), and what it computed. */
public final class ArchiveApp {

    private ArchiveApp() {}

    static String commandLine(int ignored) {
        return ProcessHandle.current().info().commandLine().orElse("?");
    }

    public static void main(String[] args) throws Exception {
        try (Pool pool = new Pool(2)) {
            for (String line : new TreeSet<>(pool.map(ArchiveApp::commandLine, List.of(1, 2, 3, 4), 1))) {
                System.out.println("worker: " + line);
            }
            System.out.println("squares: " + pool.map(App::square, List.of(1, 2, 3)));
        }
    }
}

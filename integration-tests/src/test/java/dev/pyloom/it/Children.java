package dev.pyloom.it;

import dev.pyloom.multiprocessing.PyProcess;

/** The suite's rule for the child processes a test starts: every one is waited for. */
final class Children {

    private Children() {}

    /** Kills whichever of {@code processes} is still running, and waits for each that started. */
    static void reap(PyProcess... processes) throws InterruptedException {
        for (PyProcess process : processes) {
            if (process.isAlive()) {
                process.kill();
            }
            if (process.pid().isPresent()) {
                process.join();
            }
        }
    }
}

package dev.pyloom.examples.multiprocessing;

import dev.pyloom.multiprocessing.Pool;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The tutorial's Pool program: four worker processes, five tasks; the fifth waits for a free
 * worker.
 *
 * <pre>
 * Parent process 669.
 * Waiting for all subprocesses done...
 * Run task 0 (671)...
 * Run task 1 (672)...
 * Run task 2 (673)...
 * Run task 3 (674)...
 * Task 2 runs 0.14 seconds.
 * Run task 4 (673)...
 * Task 1 runs 0.27 seconds.
 * Task 3 runs 0.86 seconds.
 * Task 0 runs 1.41 seconds.
 * Task 4 runs 1.91 seconds.
 * All subprocesses done.
 * </pre>
 *
 * <p>Task 4 runs in whichever worker finished first. {@code shutdown()} (Python's
 * {@code close()}) stops the pool taking tasks; {@code join()} waits for the workers to finish the
 * queued ones and exit. Java's {@code close()}, which try-with-resources calls, does both.
 */
public final class PoolOfFour {

    private PoolOfFour() {}

    static void longTimeTask(int name) throws InterruptedException {
        System.out.printf("Run task %s (%s)...%n", name, ProcessHandle.current().pid());
        long start = System.nanoTime();
        Thread.sleep((long) (ThreadLocalRandom.current().nextDouble() * 3000));
        long end = System.nanoTime();
        System.out.printf("Task %s runs %.2f seconds.%n", name, (end - start) / 1e9);
    }

    public static void main(String[] args) throws Exception {
        System.out.printf("Parent process %s.%n", ProcessHandle.current().pid());
        Pool p = new Pool(4);
        for (int i = 0; i < 5; i++) {
            p.applyAsync(PoolOfFour::longTimeTask, i);
        }
        System.out.println("Waiting for all subprocesses done...");
        p.shutdown();
        p.join();
        System.out.println("All subprocesses done.");
    }
}

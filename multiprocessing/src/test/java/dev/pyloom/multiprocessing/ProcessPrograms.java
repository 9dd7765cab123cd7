package dev.pyloom.multiprocessing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** Main programs the tests run in child JVMs, where what happens at (or after) the parent's exit can be watched. */
final class ProcessPrograms {

    private ProcessPrograms() {}

    /** Starts a process whose target throws, and reports its exit code. */
    static final class ThrowingTarget {
        public static void main(String[] args) throws Exception {
            PyProcess p = PyProcess.builder().name("Thrower").target(Children::fail, "it went wrong").build();
            p.start();
            p.join();
            System.out.println("exitcode " + p.exitCode().orElseThrow());
        }
    }

    /**
     * Starts a daemon child that never ends and a non-daemon child that ends after a while, and
     * returns from main at once: as in Python, the daemon is terminated and the other waited for.
     */
    static final class ExitWithChildren {
        public static void main(String[] args) throws Exception {
            PyProcess daemon = PyProcess.builder().daemon(true).target(Children::blockForever).build();
            PyProcess worker = PyProcess.builder().target(Children::slowThenMark, args[0], 500).build();
            daemon.start();
            worker.start();
            System.out.println(daemon.pid().orElseThrow() + " " + worker.pid().orElseThrow());
        }
    }

    /**
     * Starts a pool of two and a process, says so in the file named by its argument, then waits
     * to be killed.
     */
    static final class KilledParent {
        public static void main(String[] args) throws Exception {
            Pool pool = new Pool(2);
            pool.map(Tasks::square, List.of(1, 2, 3, 4), 1);
            new PyProcess(Children::blockForever).start();
            Path partial = Path.of(args[0] + ".tmp");
            Files.writeString(partial, "ready");
            Files.move(partial, Path.of(args[0]));
            new CountDownLatch(1).await();
        }
    }

    /**
     * Queues eight tasks inside try-with-resources and returns from main: the JVM exits right
     * after the block, so whatever the tasks print is printed only if close() waited for them.
     */
    static final class TryWithResources {
        public static void main(String[] args) throws Exception {
            try (Pool pool = new Pool(2)) {
                for (int i = 0; i < 8; i++) {
                    pool.applyAsync(TryWithResources::announce, i);
                }
            }
            System.out.println("block ended");
        }

        static void announce(int i) throws InterruptedException {
            Thread.sleep(50);
            System.out.println("task " + i + " ran");
        }
    }
}

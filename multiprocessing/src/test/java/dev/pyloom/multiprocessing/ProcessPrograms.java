package dev.pyloom.multiprocessing;

import dev.pyloom.ipc.Queue;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

    /** Terminates a child whose target fails because its JVM is stopping. */
    static final class TerminatedWhileFailing {
        public static void main(String[] args) throws Exception {
            try (Queue<Long> started = Queue.of(Long.class)) {
                PyProcess p = PyProcess.builder().name("Stopped").target(Children::startedThenFailWhenStopped, started).build();
                p.start();
                started.get();
                p.terminate();
                p.join();
                System.out.println("exitcode " + p.exitCode().orElseThrow());
            }
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

    /**
     * Starts a non-daemon process that never ends and a pool whose one task never ends, says so
     * (with the child's pid) in the file named by its argument, and waits for the child: only a
     * signal ends it.
     */
    static final class SignalledParent {
        public static void main(String[] args) throws Exception {
            PyProcess child = new PyProcess(Children::blockForever);
            child.start();
            Pool pool = new Pool(1);
            long worker = pool.apply(Tasks::pid);
            pool.applyAsync(Children::blockForever);
            Path partial = Path.of(args[0] + ".tmp");
            Files.writeString(partial, child.pid().orElseThrow() + " " + worker);
            Files.move(partial, Path.of(args[0]));
            child.join();
        }
    }

    /**
     * Starts a non-daemon process that never ends and returns from main: the exit waits for the
     * child, as Python's does, and a shutdown hook says so in the file named by the argument
     * (with the child's pid). Only a signal ends the wait.
     */
    static final class ExitThatWaits {
        public static void main(String[] args) throws Exception {
            PyProcess child = new PyProcess(Children::blockForever);
            child.start();
            long pid = child.pid().orElseThrow();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    Path partial = Path.of(args[0] + ".tmp");
                    Files.writeString(partial, Long.toString(pid));
                    Files.move(partial, Path.of(args[0]));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }));
        }
    }

    /**
     * Hands a non-daemon child a queue of its own, and returns from main at once: the child puts
     * on the queue once this JVM is exiting (a shutdown hook lets go of the lock the child waits
     * for), which works only if the exit waits for the child before it removes the sockets the
     * child connects through.
     */
    static final class ExitWhileAChildStillNeedsTheSockets {
        public static void main(String[] args) throws Exception {
            FileChannel gate = FileChannel.open(Path.of(args[1]), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock held = gate.lock();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    held.release();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }));
            Queue<String> queue = Queue.of(String.class);
            new PyProcess(Children::putWhileTheParentExits, queue, args[0], args[1]).start();
        }
    }

    /** The same mistake, the pool started by a thread the static initializer waits for. */
    static final class StaticPoolThroughAThread {
        static final Pool POOL = startedByAThread();

        private static Pool startedByAThread() {
            PoolStarter starter = new PoolStarter(); // a class of its own: a lambda here would wait for this class
            Thread thread = Thread.ofPlatform().start(starter);
            try {
                thread.join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            if (starter.pool == null) {
                throw new IllegalStateException("the thread could not start the pool: " + starter.failure);
            }
            return starter.pool;
        }

        static final class PoolStarter implements Runnable {
            volatile Pool pool;
            volatile RuntimeException failure;

            @Override
            public void run() {
                try {
                    pool = new Pool(2);
                } catch (RuntimeException e) {
                    failure = e;
                }
            }
        }

        static int square(int x) {
            return x * x;
        }

        public static void main(String[] args) throws Exception {
            try {
                System.out.println("mapped: " + POOL.map(StaticPoolThroughAThread::square, List.of(1, 2, 3)));
            } catch (RuntimeException | ExceptionInInitializerError failed) {
                // the initializer's own exception wraps the refusal its thread met
                java.io.StringWriter trace = new java.io.StringWriter();
                failed.printStackTrace(new java.io.PrintWriter(trace));
                System.out.println("failed: " + trace.toString().replace('\n', ' '));
            }
            System.out.println("processes: " + ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                    .map(p -> p.info().commandLine().orElse(""))
                    .filter(line -> line.contains("WorkerMain") && !line.contains("--record-class-data")).count());
            POOL.terminate();
        }
    }

    /** A task class with a static pool, the mistake Python's bootstrapping rule stops. */
    static final class StaticPool {
        static final Pool POOL = new Pool(2);

        static int square(int x) {
            return x * x;
        }

        public static void main(String[] args) throws Exception {
            try {
                System.out.println("mapped: " + POOL.map(StaticPool::square, List.of(1, 2, 3)));
            } catch (IllegalStateException refused) {
                System.out.println("refused: " + refused.getMessage());
            }
            System.out.println("processes: " + ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                    .map(p -> p.info().commandLine().orElse(""))
                    .filter(line -> line.contains("WorkerMain") && !line.contains("--record-class-data")).count());
            POOL.terminate();
        }
    }
}

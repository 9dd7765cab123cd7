package dev.pyloom.multiprocessing;

import dev.pyloom.ipc.Connection;
import dev.pyloom.multiprocessing.internal.JvmLauncher;
import dev.pyloom.multiprocessing.internal.Protocol;
import java.io.IOException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One of a pool's worker places: starts a worker JVM, feeds it jobs one at a time, and starts
 * a replacement when the worker dies or has run {@code maxTasksPerChild} tasks. Python's
 * {@code _handle_workers} and {@code worker()} in one, from the parent's side; a virtual thread
 * per place.
 *
 * <p>A worker holds one job at a time, so when it dies exactly one job fails, with a
 * {@link WorkerDiedException}; everything still queued goes to the other workers and to the
 * replacement.
 */
final class PoolWorker {

    static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private static final AtomicInteger NUMBER = new AtomicInteger();

    private final Pool pool;
    private final Thread thread;

    /** A running worker JVM and its connection. */
    private record Worker(String name, Process process, Connection connection) {
        long pid() {
            return process.pid();
        }
    }

    PoolWorker(Pool pool) {
        this.pool = pool;
        this.thread = Thread.ofVirtual().name(pool.name() + "-place").start(this::run);
    }

    void join() throws InterruptedException {
        thread.join();
    }

    /*
     * The first worker starts at once, as Python's do, so a new pool is ready for work. A
     * replacement starts only when there is a job for it: a closed pool does not start workers
     * just to stop them.
     */
    private void run() {
        Worker worker = null;
        int served = 0;
        try {
            try {
                worker = spawn();
            } catch (IOException cannotStart) {
                worker = null; // tried again, and reported, with the first job
            }
            for (;;) {
                PendingJob job = pool.tasks().take();
                if (job == null) {
                    return;
                }
                if (worker == null) {
                    try {
                        worker = spawn();
                        served = 0;
                    } catch (IOException cannotStart) {
                        pool.fail(job, new IllegalStateException("a pool worker could not start: "
                                + cannotStart.getMessage(), cannotStart));
                        continue;
                    }
                }
                Protocol.Done outcome;
                try {
                    worker.connection().send(new Protocol.Order(job.toJob()));
                    outcome = worker.connection().recv(Protocol.Done.class);
                } catch (IOException | RuntimeException died) {
                    if (pool.tasks().isTerminated()) {
                        pool.abandon(job);
                        return;
                    }
                    int exitCode = exitCode(worker.process());
                    pool.fail(job, new WorkerDiedException(worker.name(), worker.pid(), exitCode, job.task().describe()));
                    closeQuietly(worker);
                    worker = null;
                    continue;
                }
                pool.deliver(job, outcome, worker.name() + " (pid " + worker.pid() + ")");
                if (++served == pool.maxTasksPerChild()) {
                    stop(worker);
                    worker = null;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (worker != null) {
                stop(worker);
            }
        }
    }

    private Worker spawn() throws IOException, InterruptedException {
        String name = "PoolWorker-" + NUMBER.incrementAndGet();
        byte[] tokenBytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(tokenBytes);
        String token = HexFormat.of().formatHex(tokenBytes);
        CompletableFuture<Connection> hello = pool.expectHello(token);
        Process process = JvmLauncher.start(new Protocol.Bootstrap("pool", name, true, pool.address(), pool.key(), token,
                pool.initializer(), pool.initArgs(), null, null), pool.jvmOptions());
        pool.track(process);
        try {
            // No deadline: a worker's initializer may take as long as it likes (as in Python). A
            // worker that exits first, or is killed by terminate(), ends the wait.
            CompletableFuture.anyOf(hello, process.onExit()).get();
        } catch (ExecutionException e) {
            // judged below
        }
        Connection connection = hello.getNow(null);
        if (connection == null) {
            pool.forgetHello(token);
            process.destroyForcibly();
            int code = exitCode(process);
            throw new IOException("worker " + name + " (pid " + process.pid() + ") exited with code " + code
                    + " before connecting" + (code == 4 ? " (its initializer failed; see its standard error)" : ""));
        }
        return new Worker(name, process, connection);
    }

    /** Tells the worker to finish and waits for it to exit (killing it if it will not). */
    private void stop(Worker worker) {
        try {
            worker.connection().send(new Protocol.Order(null));
        } catch (IOException alreadyGone) {
            // it is exiting anyway
        }
        try {
            if (!worker.process().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                worker.process().destroyForcibly();
            }
        } catch (InterruptedException e) {
            worker.process().destroyForcibly();
            Thread.currentThread().interrupt();
        }
        closeQuietly(worker);
    }

    private static void closeQuietly(Worker worker) {
        try {
            worker.connection().close();
        } catch (IOException ignored) {
            // done with it
        }
    }

    /**
     * The worker's exit code as Python reports it: negative for a signal. The JDK reports death
     * by signal n as 128 + n, indistinguishable from {@code System.exit(128 + n)}; pyloom reads
     * it as the signal.
     */
    static int exitCode(Process process) throws InterruptedException {
        if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
        int code = process.exitValue();
        return code > 128 && code < 128 + 65 ? -(code - 128) : code;
    }
}

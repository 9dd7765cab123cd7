package dev.pyloom.asyncio;

import dev.pyloom.common.ShutdownCause;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What a signal does to the coroutines of {@link Asyncio#run} and {@link EventLoop#run}: Python's
 * {@code asyncio.Runner} cancels the main task on Ctrl-C, so that {@code finally} blocks and
 * {@code async with} exits run before the program ends.
 *
 * <p>The JVM answers SIGINT, SIGTERM and SIGHUP by running its shutdown hooks and then halting,
 * whatever its threads are doing. pyloom's hook, installed with the first run, cancels the main
 * task of every run in progress (on its loop, as a callback), waits until each run has returned
 * — its leftover tasks cancelled and finished too — for at most {@link #GRACE} in all, and then
 * kills the child processes of those loops, which would otherwise outlive the JVM. The JVM then
 * exits with 128 + the signal's number, as it would have.
 *
 * <p>Python's second Ctrl-C raises {@code KeyboardInterrupt} at once; the JVM ignores signals
 * while its hooks run, so the grace period is what bounds a clean-up that hangs. An exit that no
 * signal started ({@code System.exit} inside a run) cancels nothing: Python's {@code sys.exit}
 * unwinds the coroutine, Java's does not unwind any thread. The hook still kills the running
 * loops' children, which Python's loop kills as {@code asyncio.run} closes it.
 */
final class SignalShutdown {

    /** Property: how long, in milliseconds, the coroutines get to finish after a signal. */
    static final String GRACE_PROPERTY = "pyloom.asyncio.signalGraceMillis";

    /** How long the runs get, in all, to finish after a signal; then their loops' children are killed. */
    static final Duration GRACE = Duration.ofMillis(Long.getLong(GRACE_PROPERTY, 5_000));

    /**
     * A run in progress: its loop, its main task (null for {@code Asyncio.run}'s closing of the
     * loop, which the hook waits for too), and a latch released when the run has returned.
     */
    record Run(EventLoop loop, Task<?> main, CountDownLatch returned) {}

    private static final Set<Run> RUNS = ConcurrentHashMap.newKeySet();

    private SignalShutdown() {}

    /** Starts watching a run; the caller must pass the result to {@link #finished} when the run returns. */
    static Run started(EventLoop loop, Task<?> main) {
        installHook();
        Run run = new Run(loop, main, new CountDownLatch(1));
        RUNS.add(run);
        return run;
    }

    static void finished(Run run) {
        RUNS.remove(run);
        run.returned().countDown();
    }

    private static boolean hookInstalled; // guarded by SignalShutdown.class

    /** Installs the hook once, with the first run; not while the JVM is shutting down already. */
    private static synchronized void installHook() {
        if (hookInstalled) {
            return;
        }
        // Loaded now, not when the hook first needs it: a launcher that runs the program in its
        // own JVM (mvn exec:java) has closed the program's class loader by then.
        ShutdownCause.class.getName();
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(SignalShutdown::onShutdown, "pyloom-asyncio-signal"));
            hookInstalled = true;
        } catch (IllegalStateException shuttingDown) {
            // A run inside another shutdown hook: no signal can start the shutdown any more.
        }
    }

    private static void onShutdown() {
        List<Run> runs = List.copyOf(RUNS);
        if (runs.isEmpty()) {
            return;
        }
        if (ShutdownCause.signal() != null) {
            cancelAndWait(runs);
        }
        for (Run run : runs) {
            run.loop().resources.killChildren(); // the JVM halts next: no child of a loop may outlive it
        }
    }

    /** Cancels each run's main task, on its loop, and waits for the runs to return, {@link #GRACE} in all. */
    private static void cancelAndWait(List<Run> runs) {
        for (Run run : runs) {
            if (run.main() != null) {
                run.loop().callSoonThreadsafeIfOpen(() -> run.main().cancel());
            }
        }
        long deadline = System.nanoTime() + GRACE.toNanos();
        for (Run run : runs) {
            try {
                run.returned().await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
    }
}

package dev.pyloom.ipc.internal;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What pyloom does when the JVM exits, in order, on one shutdown hook: first what other parts of
 * pyloom registered (waiting for child processes, flushing queues), then the removal of this
 * process's socket directory.
 *
 * <p>The JVM runs shutdown hooks at once and in no particular order. Separate hooks would let
 * the socket directory go while a child that is still being waited for, or a pool's replacement
 * worker, needs to connect through it. One hook, in this order, keeps the floor under the work
 * that is still running until it has finished.
 */
public final class ExitSequence {

    private static final System.Logger LOG = System.getLogger("dev.pyloom.ipc");
    private static final List<Runnable> FIRST = new CopyOnWriteArrayList<>();
    private static final List<Runnable> LAST = new CopyOnWriteArrayList<>();

    static {
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(ExitSequence::run, "pyloom-exit"));
        } catch (IllegalStateException alreadyExiting) {
            // nothing registered from now on will run: the JVM is on its way out
        }
    }

    private ExitSequence() {}

    /** Runs {@code action} at exit, before this process's sockets go; actions run in the order registered. */
    public static void beforeSocketsClose(Runnable action) {
        FIRST.add(action);
    }

    /** Runs {@code action} at exit, after every {@link #beforeSocketsClose} action. */
    static void lastly(Runnable action) {
        LAST.add(action);
    }

    private static void run() {
        for (Runnable action : FIRST) {
            runQuietly(action);
        }
        for (Runnable action : LAST) {
            runQuietly(action);
        }
    }

    private static void runQuietly(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException | Error e) {
            LOG.log(Level.DEBUG, "an exit action failed", e);
        }
    }
}

package dev.pyloom.asyncio;

import dev.pyloom.common.ServiceThreads;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The outcome of a failed future: its exception, and whether anybody has taken it.
 *
 * <p>A failure nobody takes is a bug nobody sees, so, as Python's {@code Future.__del__} does, a
 * failure whose exception was never retrieved ({@code result()}, {@code exception()}, an
 * {@code await}, or one of pyloom's own consumers: {@code gather}, {@code TaskGroup},
 * {@code asCompleted}...) is reported to its loop's exception handler as "Task exception was
 * never retrieved": when its future becomes unreachable, or when its loop closes, whichever comes
 * first. In debug mode it is also reported soon after it fails, if nothing waited for it then
 * (see {@link Future}). Each failure is reported at most once, and never once retrieved.
 *
 * <p>This object is the {@link Cleaner}'s action for its future, so it must never refer to the
 * future: it keeps the task's name instead, and formats nothing until it reports (an exception's
 * {@code toString()} may be costly, or throw).
 */
final class FailedOutcome implements Runnable {

    /** The thread that reports futures found unreachable; started with the first failure. */
    private static final class Reaper {
        static final Cleaner CLEANER = Cleaner.create(
                ServiceThreads.daemon("pyloom-asyncio-unretrieved").factory());
    }

    final Throwable exception;
    private final EventLoop loop;
    /** The task's name, or null for a plain future: all of the future a report needs. */
    private final String taskName;
    /** Retrieved or reported: nothing more to do. Set once, from any thread. */
    private final AtomicBoolean settled = new AtomicBoolean();
    private final Cleaner.Cleanable cleanable;

    FailedOutcome(Future<?> future, Throwable exception) {
        this.exception = exception;
        this.loop = future.loop;
        this.taskName = future instanceof Task<?> task ? task.getName() : null; // nothing formatted until reported
        loop.watchUnretrieved(this);
        this.cleanable = Reaper.CLEANER.register(future, this);
    }

    /** Someone took the exception: it is never reported. Returns it. Any thread. */
    Throwable retrieve() {
        if (!settled.get() && settled.compareAndSet(false, true)) {
            loop.forgetUnretrieved(this);
            cleanable.clean(); // unregisters; run() finds it settled
        }
        return exception;
    }

    boolean retrieved() {
        return settled.get();
    }

    /**
     * The future became unreachable: the Cleaner's thread reports it unless it was retrieved. While
     * the loop runs, the report is made on the loop and settled there; if the loop stops first,
     * the failure is still unsettled and its closing reports it.
     */
    @Override
    public void run() {
        if (settled.get() || loop.reportOnLoop(() -> report(null))) {
            return;
        }
        report(null); // the loop is not running: report here, as Python's __del__ does on whatever thread collects
    }

    /** An exception's text, even for an exception whose toString() throws. */
    static String describe(Throwable exception) {
        try {
            return String.valueOf(exception);
        } catch (RuntimeException unprintable) {
            return exception.getClass().getName() + " (its toString() threw " + unprintable.getClass().getName() + ")";
        }
    }

    /** Reports the failure, unless it was retrieved or reported already; {@code future} if still known. */
    void report(Future<?> future) {
        if (settled.compareAndSet(false, true)) {
            loop.forgetUnretrieved(this);
            String kind = taskName != null ? "Task" : "Future";
            String message = kind + " exception was never retrieved";
            if (future == null) {
                message += ": " + kind + "[" + (taskName != null ? taskName + ", " : "")
                        + "finished exception=" + describe(exception) + "]";
            }
            loop.reportNeverRetrieved(new ExceptionContext(message, exception, future, null));
        }
    }
}

package dev.pyloom.asyncio;

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
 * future: it keeps the future's description instead.
 */
final class FailedOutcome implements Runnable {

    /** The thread that reports futures found unreachable; started with the first failure. */
    private static final class Reaper {
        static final Cleaner CLEANER = Cleaner.create(
                Thread.ofPlatform().daemon().name("pyloom-asyncio-unretrieved").factory());
    }

    final Throwable exception;
    private final EventLoop loop;
    private final String description;
    /** Retrieved or reported: nothing more to do. Set once, from any thread. */
    private final AtomicBoolean settled = new AtomicBoolean();
    private final Cleaner.Cleanable cleanable;

    FailedOutcome(Future<?> future, Throwable exception) {
        this.exception = exception;
        this.loop = future.loop;
        this.description = future instanceof Task<?> task
                ? "Task[" + task.getName() + ", finished exception=" + exception + "]"
                : "Future[finished exception=" + exception + "]";
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

    /** The future became unreachable: the Cleaner's thread reports it unless it was retrieved. */
    @Override
    public void run() {
        report(null);
    }

    /** Reports the failure, unless it was retrieved or reported already; {@code future} if still known. */
    void report(Future<?> future) {
        if (settled.compareAndSet(false, true)) {
            loop.forgetUnretrieved(this);
            String kind = description.startsWith("Task") ? "Task" : "Future";
            String message = kind + " exception was never retrieved" + (future == null ? ": " + description : "");
            loop.reportNeverRetrieved(new ExceptionContext(message, exception, future, null));
        }
    }
}

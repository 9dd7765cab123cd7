package dev.pyloom.asyncio;

import java.util.Objects;

/**
 * A callback the loop will run: Python's {@code asyncio.Handle}, returned by
 * {@link EventLoop#callSoon(Runnable)} and {@link EventLoop#callSoonThreadsafe(Runnable)}.
 *
 * <p>{@link #cancel()} keeps the callback from running if it has not run yet. A callback that
 * throws an {@code Exception} does not stop the loop: the exception goes to the loop's
 * {@linkplain EventLoop#setExceptionHandler exception handler}. An {@code Error} (an
 * {@code AssertionError}, an {@code OutOfMemoryError}) is not caught: it stops the loop and comes
 * out of the call that runs it.
 */
public sealed class Handle permits TimerHandle {

    final EventLoop loop;
    /** A Runnable, or the sleeping {@link Task} whose timer came due (see {@link Task#wakeFromTimer}). */
    private final Object callback;
    private volatile boolean cancelled; // volatile: a handle may be cancelled from another thread

    Handle(EventLoop loop, Runnable callback) {
        this.loop = loop;
        this.callback = Objects.requireNonNull(callback, "callback");
    }

    /** The wake-up of {@code sleeper}, whose timer came due. */
    Handle(EventLoop loop, Task<?> sleeper) {
        this.loop = loop;
        this.callback = sleeper;
    }

    /**
     * Keeps the callback from running, if it has not run yet; does nothing otherwise. Python's
     * {@code Handle.cancel()}. Never blocks; may be called from any thread (the flag is read
     * when the loop reaches the callback).
     */
    public void cancel() {
        cancelled = true;
    }

    /** Whether {@link #cancel()} was called. Python's {@code cancelled()}. */
    public boolean cancelled() {
        return cancelled;
    }

    /** Runs the callback unless cancelled; called by the loop, on the loop. */
    void run() {
        if (cancelled) {
            return;
        }
        if (callback instanceof Task<?> sleeper) {
            sleeper.wakeFromTimer();
            return;
        }
        try {
            ((Runnable) callback).run();
        } catch (Exception e) {
            loop.callExceptionHandler(new ExceptionContext("Exception in callback " + callback, e, null, this));
        }
    }

    @Override
    public String toString() {
        String what = callback instanceof Task<?> sleeper ? "wake " + sleeper : String.valueOf(callback);
        return getClass().getSimpleName() + "[" + what + (cancelled ? ", cancelled" : "") + "]";
    }
}

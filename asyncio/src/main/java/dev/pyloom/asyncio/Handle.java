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
    private final Runnable callback;
    private volatile boolean cancelled; // volatile: a handle may be cancelled from another thread

    Handle(EventLoop loop, Runnable callback) {
        this.loop = loop;
        this.callback = Objects.requireNonNull(callback, "callback");
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
        try {
            callback.run();
        } catch (Exception e) {
            loop.callExceptionHandler(new ExceptionContext("Exception in callback " + callback, e, null, this));
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + callback + (cancelled ? ", cancelled" : "") + "]";
    }
}

package dev.pyloom.asyncio;

import dev.pyloom.asyncio.internal.Rethrow;
import java.util.ArrayList;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A result that will be set later, on one event loop: Python's {@code asyncio.Future}.
 *
 * <p>Callback-style code creates one, hands it out, and later calls {@link #setResult} or
 * {@link #setException}; coroutines {@link #await()} it. Done callbacks are scheduled on the
 * loop when the future completes (never run inline), in the order they were added.
 *
 * <pre>{@code
 * Future<String> reply = loop.createFuture();
 * loop.callLater(Duration.ofSeconds(1), () -> reply.setResult("pong"));
 * String answer = reply.await();          // inside a coroutine: await reply
 * }</pre>
 *
 * <p>A future belongs to its loop: only the loop's coroutines and callbacks may complete it,
 * cancel it, await it or add callbacks (other threads get an {@link IllegalStateException}; they
 * use {@link EventLoop#callSoonThreadsafe}). The queries {@link #done()}, {@link #cancelled()}
 * and {@link #result()} may be called from any thread.
 *
 * <h2>Exception never retrieved</h2>
 *
 * <p>A future or task that fails and whose exception nobody retrieves ({@link #result()},
 * {@link #exception()}, {@link #await()}, or pyloom's own consumers: {@code gather},
 * {@code TaskGroup}, {@code asCompleted}, {@code waitFor}) is reported to its loop's
 * {@linkplain EventLoop#setExceptionHandler exception handler} as "Task exception was never
 * retrieved", as Python's is: when the future becomes unreachable (found by the garbage
 * collector; the handler then runs on the loop if it is running), or when its loop closes,
 * whichever comes first. A failure is reported at most once, and never once retrieved.
 *
 * <p>In {@linkplain EventLoop#setDebug debug mode} it is also reported early, once the loop
 * reaches a check scheduled as it fails, if at that moment nothing was waiting for it (no
 * coroutine awaited it, it had no done callback) and nobody has retrieved it since. The price of
 * reporting early: a task that fails before anything awaits it, and is awaited only after another
 * await point, is reported although its exception is retrieved later. Await it, or add a
 * callback, before it can finish.
 *
 * @param <T> the type of the result
 */
public sealed class Future<T> permits Task, GatheringFuture {

    /*
     * state: PENDING -> RESULT      setResult
     *        PENDING -> FAILED      setException
     *        PENDING -> CANCELLED   cancel
     * Written only on the loop; volatile so that other threads may ask done() safely.
     */
    private static final byte PENDING = 0;
    private static final byte RESULT = 1;
    private static final byte FAILED = 2;
    private static final byte CANCELLED = 3;

    final EventLoop loop;
    private volatile byte state;
    /**
     * The result; the exception; when cancelled, the message, or the {@link CancelledException}
     * a task's coroutine ended with (rethrown as it was, as Python's task does). Written before state.
     */
    private Object outcome;
    /**
     * What runs on completion: null, one callback, or a {@link Callbacks} list. A callback is a
     * {@code Consumer} (scheduled with callSoon) or a {@link Task} awaiting this future (woken).
     * Only touched on the loop.
     */
    private Object callbacks;

    /**
     * A pending future of the running loop. Python's {@code asyncio.Future()}.
     *
     * @throws IllegalStateException if the calling thread is not running an event loop
     */
    public Future() {
        this(EventLoop.running("Future()"));
    }

    Future(EventLoop loop) {
        this.loop = loop;
    }

    /** The loop this future belongs to. Python's {@code get_loop()}. */
    public EventLoop getLoop() {
        return loop;
    }

    /** Whether the future has a result, an exception, or was cancelled. Python's {@code done()}. */
    public boolean done() {
        return state != PENDING;
    }

    /** Whether the future was cancelled. Python's {@code cancelled()}. */
    public boolean cancelled() {
        return state == CANCELLED;
    }

    /**
     * The result; never blocks. Python's {@code result()}.
     *
     * @throws Exception             the exception the future was completed with, as it was
     * @throws CancelledException    if the future was cancelled
     * @throws IllegalStateException if the future is not done (Python's {@code InvalidStateError})
     */
    @SuppressWarnings("unchecked")
    public T result() throws Exception {
        return switch (state) {
            case RESULT -> (T) outcome;
            case FAILED -> throw Rethrow.of(((FailedOutcome) outcome).retrieve());
            case CANCELLED -> throw cancelledException();
            default -> throw new IllegalStateException("Result is not set.");
        };
    }

    /**
     * The exception the future was completed with, or null if it has a result; never blocks.
     * Python's {@code exception()}.
     *
     * @throws CancelledException    if the future was cancelled
     * @throws IllegalStateException if the future is not done
     */
    public Throwable exception() {
        return switch (state) {
            case RESULT -> null;
            case FAILED -> ((FailedOutcome) outcome).retrieve();
            case CANCELLED -> throw cancelledException();
            default -> throw new IllegalStateException("Exception is not set.");
        };
    }

    /** What a cancelled future throws: the coroutine's own exception for a task, else a new one. */
    private CancelledException cancelledException() {
        return outcome instanceof CancelledException own ? own : new CancelledException((String) outcome);
    }

    /** A failed future's outcome, with whether it was retrieved or reported; null if it did not fail. */
    final FailedOutcome failedOutcome() {
        return state == FAILED ? (FailedOutcome) outcome : null;
    }

    /** The exception of a done, not cancelled future, or null: for pyloom's own bookkeeping. */
    Throwable exceptionNow() {
        if (state != FAILED) {
            return null;
        }
        return ((FailedOutcome) outcome).retrieve(); // gather, TaskGroup, await: internal consumers take charge of it
    }

    /**
     * Waits, inside a coroutine, until the future is done, and returns its result: Python's
     * {@code await future}. Returns at once, without giving the loop away, if it is done already.
     * This is an await point: the task may be cancelled here.
     *
     * @throws Exception             the exception the future was completed with, as it was
     * @throws CancelledException    if the future, or the awaiting task, is cancelled
     * @throws IllegalStateException if not called from a coroutine of this future's loop
     */
    public T await() throws Exception {
        if (!done()) {
            Task<?> task = EventLoop.currentTask("await");
            if (task.loop != loop) {
                throw new IllegalStateException("Task got Future attached to a different loop");
            }
            task.awaitDone(this);
        }
        return result();
    }

    /**
     * Completes the future with {@code value} and schedules its callbacks. Python's {@code set_result}.
     *
     * @throws IllegalStateException if the future is done already, or if called from another thread
     */
    public void setResult(T value) {
        loop.requireLoopThread("setResult");
        complete(RESULT, value);
    }

    /**
     * Completes the future with {@code exception} and schedules its callbacks. Python's
     * {@code set_exception}.
     *
     * @throws IllegalStateException if the future is done already, or if called from another thread
     */
    public void setException(Throwable exception) {
        Objects.requireNonNull(exception, "exception");
        loop.requireLoopThread("setException");
        complete(FAILED, exception);
    }

    /** {@link #cancel(String)} without a message. */
    public boolean cancel() {
        return cancel(null);
    }

    /**
     * Cancels the future if it is pending, and schedules its callbacks. Python's {@code cancel(msg)}.
     *
     * @return whether it was cancelled by this call (false if it was done already)
     * @throws IllegalStateException if called from another thread while the loop runs
     */
    public boolean cancel(String message) {
        loop.requireLoopThread("cancel");
        if (done()) {
            return false;
        }
        complete(CANCELLED, message);
        return true;
    }

    final void complete(byte newState, Object value) {
        if (state != PENDING) {
            throw new IllegalStateException("invalid state: " + this);
        }
        outcome = newState == FAILED ? new FailedOutcome(this, (Throwable) value) : value;
        state = newState;
        Object scheduled = callbacks;
        callbacks = null;
        if (scheduled instanceof Callbacks many) {
            many.forEach(this::schedule);
        } else if (scheduled != null) {
            schedule(scheduled);
        } else if (newState == FAILED && loop.getDebug()) {
            // Nothing waits for it: unless someone retrieves the exception before the loop
            // reaches this check (queued behind everything scheduled so far), report it.
            loop.dispatcher.schedule(new Handle(loop, this::reportIfNeverRetrieved));
        }
    }

    private void reportIfNeverRetrieved() {
        ((FailedOutcome) outcome).report(this);
    }

    final void completeWith(T value) {
        complete(RESULT, value);
    }

    final void completeExceptionally(Throwable exception) {
        complete(FAILED, exception);
    }

    final void completeCancelled(String message) {
        complete(CANCELLED, message);
    }

    /** Cancelled with the exception the coroutine let through, which every await rethrows. */
    final void completeCancelled(CancelledException exception) {
        complete(CANCELLED, exception);
    }

    @SuppressWarnings("unchecked")
    private void schedule(Object callback) {
        if (callback instanceof Task<?> waiter) {
            waiter.wake();
        } else {
            Consumer<? super Future<T>> function = (Consumer<? super Future<T>>) callback;
            loop.dispatcher.schedule(new Handle(loop, () -> function.accept(this)));
        }
    }

    /**
     * Adds a callback to run, with this future, once it is done; scheduled at once if it is done
     * already. Python's {@code add_done_callback(fn)}.
     *
     * @throws IllegalStateException if called from another thread while the loop runs
     */
    public void addDoneCallback(Consumer<? super Future<T>> callback) {
        Objects.requireNonNull(callback, "callback");
        loop.requireLoopThread("addDoneCallback");
        addCallback(callback);
    }

    /**
     * Removes every registration of {@code callback}. Python's {@code remove_done_callback(fn)}.
     *
     * @return how many were removed
     */
    public int removeDoneCallback(Consumer<? super Future<T>> callback) {
        loop.requireLoopThread("removeDoneCallback");
        return removeCallback(callback);
    }

    /** Registers a task to wake when this future is done. */
    final void addWaiter(Task<?> task) {
        addCallback(task);
    }

    final void removeWaiter(Task<?> task) {
        removeCallback(task);
    }

    private void addCallback(Object callback) {
        if (done()) {
            schedule(callback);
        } else if (callbacks == null) {
            callbacks = callback;
        } else if (callbacks instanceof Callbacks many) {
            many.add(callback);
        } else {
            Callbacks many = new Callbacks();
            many.add(callbacks);
            many.add(callback);
            callbacks = many;
        }
    }

    private int removeCallback(Object callback) {
        if (callbacks == callback) {
            callbacks = null;
            return 1;
        }
        if (callbacks instanceof Callbacks many) {
            int before = many.size();
            many.removeIf(c -> c == callback);
            return before - many.size();
        }
        return 0;
    }

    /** Completes {@code target} as this done future is: for threadsafe hand-offs. */
    final void copyTo(CompletableFuture<? super T> target) {
        switch (state) {
            case RESULT -> target.complete(cast(outcome));
            case FAILED -> target.completeExceptionally(((FailedOutcome) outcome).retrieve());
            case CANCELLED -> target.completeExceptionally(cancelledException()); // isCancelled(), and the task's own exception
            default -> throw new IllegalStateException("not done");
        }
    }

    /** Completes {@code target} (of the same loop, and of a type that fits) as this done future is. */
    final void copyTo(Future<?> target) {
        switch (state) {
            case RESULT -> target.complete(RESULT, outcome);
            case FAILED -> target.complete(FAILED, ((FailedOutcome) outcome).retrieve());
            case CANCELLED -> target.complete(CANCELLED, cancelMessage()); // a copy gets its own exception
            default -> throw new IllegalStateException("not done");
        }
    }

    private String cancelMessage() {
        return outcome instanceof CancelledException own ? own.getMessage() : (String) outcome;
    }

    @SuppressWarnings("unchecked")
    private T cast(Object value) {
        return (T) value;
    }

    String stateName() {
        return switch (state) {
            case RESULT -> "finished result=" + outcome;
            case FAILED -> "finished exception=" + FailedOutcome.describe(((FailedOutcome) outcome).exception);
            case CANCELLED -> "cancelled";
            default -> "pending";
        };
    }

    @Override
    public String toString() {
        return "Future[" + stateName() + "]";
    }

    /** More than one callback; a class of its own so that no user callback is mistaken for one. */
    @SuppressWarnings("serial")
    private static final class Callbacks extends ArrayList<Object> {}
}

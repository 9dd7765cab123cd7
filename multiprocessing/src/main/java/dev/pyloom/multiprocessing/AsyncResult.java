package dev.pyloom.multiprocessing;

import dev.pyloom.common.Durations;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The result of a task handed to a {@link Pool} without waiting for it: Python's
 * {@code AsyncResult}, and a {@link Future}.
 *
 * <pre>{@code
 * AsyncResult<Integer> r = pool.applyAsync(Demo::square, 7);
 * r.get(Duration.ofSeconds(5));                 // 49, or TimeoutException
 * r.toCompletableFuture().thenAccept(...);      // or compose it
 * }</pre>
 *
 * <p>A result becomes ready after its callback (if any) has run, on the pool's result-handler
 * thread, as in Python. As a {@code Future}, {@link #get()} reports a task's exception as the
 * cause of an {@link ExecutionException} (Python raises it directly): the original exception
 * type when it is on this class path, made anew in the thread that waits, so that its stack
 * trace shows where that thread called {@code get()}, with the worker's stack trace as its
 * cause.
 */
public final class AsyncResult<R> implements Future<R> {

    private final CompletableFuture<R> future = new CompletableFuture<>();
    private final String description;
    private final Jobs jobs;
    private final ResultHandler handler;

    /** The pool's jobs behind a result, for cancelling them. */
    interface Jobs {
        /** Removes them all if no worker has taken any; whether it did. */
        boolean withdraw();

        /** Removes those no worker has taken. */
        void withdrawQueued();

        /** Interrupts those a worker runs; those sent ahead to one never start. */
        void interrupt();
    }

    AsyncResult(String description, Jobs jobs, ResultHandler handler) {
        this.description = description;
        this.jobs = jobs;
        this.handler = handler;
    }

    void complete(R value) {
        future.complete(value);
    }

    void fail(Throwable failure) {
        future.completeExceptionally(failure);
    }

    /** Completes with {@code value}: at once, or, with a callback, after it has run on the result-handler thread. */
    void complete(R value, Consumer<? super R> callback, Object task) {
        if (callback == null) {
            complete(value);
        } else {
            handler.post(() -> {
                ResultHandler.runCallback("callback", task, () -> callback.accept(value));
                complete(value);
            });
        }
    }

    /** Fails with {@code failure}: at once, or, with an error callback, after it has run on the result-handler thread. */
    void fail(Throwable failure, Consumer<? super Throwable> errorCallback, Object task) {
        if (errorCallback == null) {
            fail(failure);
        } else {
            handler.post(() -> {
                ResultHandler.runCallback("error callback", task, () -> errorCallback.accept(failure));
                fail(failure);
            });
        }
    }

    /** Whether the task has finished, one way or another. Python's {@code ready()}. */
    public boolean ready() {
        return future.isDone();
    }

    /**
     * Whether the task finished without an exception. Python's {@code successful()}.
     *
     * @throws IllegalStateException if it is not ready yet (Python's {@code ValueError})
     */
    public boolean successful() {
        if (!ready()) {
            throw new IllegalStateException(description + " is not ready");
        }
        return !future.isCompletedExceptionally();
    }

    /** Waits until the task has finished. Python's {@code wait()} ({@code Object} owns that name). */
    public void await() throws InterruptedException {
        requireNotInCallback();
        try {
            future.get();
        } catch (ExecutionException | CancellationException finishedAnyway) {
            // ready: that is all await() promises
        }
    }

    /**
     * Waits at most {@code timeout} for the task to finish. Python's {@code wait(timeout)}.
     *
     * @return whether it is ready
     */
    public boolean await(Duration timeout) throws InterruptedException {
        requireNotInCallback();
        try {
            future.get(Durations.timeoutNanos(timeout, "timeout"), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | CancellationException finishedAnyway) {
            // ready
        } catch (TimeoutException notYet) {
            return false;
        }
        return true;
    }

    /**
     * Waits for the result. Python's {@code get()}.
     *
     * @throws ExecutionException    if the task threw (its exception is the cause), or its worker
     *                               died ({@link WorkerDiedException})
     * @throws CancellationException if the task was cancelled or the pool terminated first
     */
    @Override
    public R get() throws InterruptedException, ExecutionException {
        requireNotInCallback();
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw here(e);
        }
    }

    /**
     * Waits at most {@code timeout} for the result. Python's {@code get(timeout)}.
     *
     * @throws TimeoutException if it is not ready in time (Python's {@code TimeoutError})
     */
    public R get(Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
        requireNotInCallback();
        try {
            return future.get(Durations.timeoutNanos(timeout, "timeout"), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw here(e);
        }
    }

    @Override
    public R get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        requireNotInCallback();
        try {
            return future.get(timeout, unit);
        } catch (ExecutionException e) {
            throw here(e);
        }
    }

    /* A task's exception with this thread's frames, where it waited (see RemoteFailures.here). */
    private static ExecutionException here(ExecutionException e) {
        Throwable cause = RemoteFailures.here(e.getCause());
        return cause == e.getCause() ? e : new ExecutionException(cause);
    }

    @Override
    public boolean isDone() {
        return future.isDone();
    }

    @Override
    public boolean isCancelled() {
        return future.isCancelled();
    }

    /**
     * Cancels the task: withdrawn if no worker has taken it yet. A task that a worker has taken
     * is cancelled only with {@code mayInterruptIfRunning}: its thread in the worker is
     * interrupted (a task sent ahead to the worker never starts), and a worker whose task goes on
     * after the interrupt (5 s, or the pool's {@code interruptGrace}) is killed, failing nothing else (the jobs sent ahead to
     * it go back to the queue), and replaced. For a {@code map}, the same for each of its
     * chunks. As for every {@code Future}, a cancelled result is done at once: {@code get()}
     * throws {@code CancellationException}, and whatever the task still returns is dropped.
     *
     * @return whether it was cancelled: false if it had finished, or if a worker has it and
     *         {@code mayInterruptIfRunning} is false
     */
    @Override
    public synchronized boolean cancel(boolean mayInterruptIfRunning) { // one at a time: only one of them returns true
        if (future.isDone()) {
            return false;
        }
        if (jobs.withdraw()) {
            return future.cancel(false);
        }
        if (!mayInterruptIfRunning || !future.cancel(false)) {
            return false;
        }
        jobs.withdrawQueued();
        jobs.interrupt();
        return true;
    }

    /**
     * The task ran longer than its time limit: fails with a {@code TimeoutException} and
     * interrupts it, as {@code cancel(true)} does; false if it was done first.
     */
    boolean timeOut(Duration limit) {
        if (!future.completeExceptionally(new TimeoutException(description + " ran longer than its time limit of "
                + limit.toMillis() + " ms; it was interrupted in its worker"))) {
            return false;
        }
        jobs.interrupt();
        return true;
    }

    /**
     * The caller stopped waiting ({@code apply} or {@code map} was interrupted): done with a
     * cancellation; what no worker has taken is withdrawn; what runs goes on, its result dropped.
     */
    void abandon() {
        if (future.cancel(false)) {
            jobs.withdrawQueued();
        }
    }

    /** A {@code CompletableFuture} completed as this result is; completing it does not affect this one. */
    public CompletableFuture<R> toCompletableFuture() {
        return future.copy();
    }

    @Override
    public String toString() {
        String status = !ready() ? "pending" : future.isCancelled() ? "cancelled" : successful() ? "done" : "failed";
        return "AsyncResult[" + description + ", " + status + "]";
    }

    /*
     * A callback runs on the thread that delivers results, and a stage composed without an
     * executor on the place that completes it: one waiting there for a result not yet ready
     * could wait forever, for itself (Python's pool deadlocks in that case).
     */
    private void requireNotInCallback() {
        if (!future.isDone() && handler.isPoolThread()) {
            throw new IllegalStateException("waiting for " + description + " on one of the pool's own threads would"
                    + " wait forever: callbacks, and stages composed on an AsyncResult without an executor, run on"
                    + " them. Compose with an executor (thenApplyAsync), or submit from another thread.");
        }
    }
}

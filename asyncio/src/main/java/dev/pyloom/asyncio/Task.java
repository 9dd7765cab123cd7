package dev.pyloom.asyncio;

import dev.pyloom.asyncio.internal.Rethrow;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A coroutine running on an event loop: Python's {@code asyncio.Task}.
 *
 * <p>{@link EventLoop#createTask} and {@link Asyncio#createTask} make one; its coroutine starts
 * when the loop reaches it and runs on a virtual thread of its own, giving the loop back at every
 * await point. The task is a {@link Future} of the coroutine's result: await it, ask it
 * {@link #done()}, add callbacks. The loop keeps a strong reference to every task until it is
 * done, so a running task is never lost to the garbage collector.
 *
 * <h2>Cancellation</h2>
 *
 * <p>{@link #cancel(String)} asks the coroutine to stop, as in Python: a
 * {@link CancelledException} is thrown inside it at the await point where it is suspended, or at
 * its next one. The coroutine may catch it to clean up (even await, in its {@code finally}) and
 * should rethrow it; the task then ends {@linkplain #cancelled() cancelled}. If the task is
 * awaiting another future or task, that one is cancelled instead (so cancelling a task that
 * awaits a child cancels the child), and the task sees the cancellation when it resumes.
 *
 * <p>Inside a {@link Timeout} scope that has expired, or a {@link TaskGroup} whose child failed,
 * the exception thrown at the await point is the one that scope will raise ({@link
 * java.util.concurrent.TimeoutException}, {@link ExceptionGroup}): Java's try-with-resources
 * cannot replace an exception as it leaves the block, so pyloom raises the final one where the
 * coroutine was. {@code finally} blocks run in either case.
 *
 * @param <T> the type of the coroutine's result
 */
public final class Task<T> extends Future<T> {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private Object body; // a Coroutine<T> or a VoidCoroutine; dropped once the task is done
    private String name;            // null until asked: "Task-N" from the number
    private final int number;

    // ---- set up by the TaskScheduler; only touched on the loop
    Thread thread;
    /** What the ready queue holds to run this task's next step: its continuation (carrier), its thread's body (handoff). */
    Runnable step;
    /** Handoff strategy only: the turn was passed to this task's thread, which has not taken it yet. */
    volatile boolean granted;
    /** The loop's list of tasks not yet done. */
    Task<?> previous;
    Task<?> next;

    // ---- the task's sleep, set by the loop and its TimerHeap; only touched on the loop
    /** Where this task's sleep is in the loop's {@link TimerHeap}, {@link TimerHeap#NOT_IN_HEAP}, or {@link #TIMER_DUE}. */
    int timerIndex = TimerHeap.NOT_IN_HEAP;
    /** The sleep's timer came due and the task is in the ready queue to be woken. */
    static final int TIMER_DUE = -2;

    // ---- cancellation state, only touched on the loop
    /** The future this task is suspended on, Python's {@code _fut_waiter}. */
    private Future<?> waitingOn;
    /** The rest of the cancellation state; null until the first cancel() or scope, as most tasks never need it. */
    private Cancellation cancellation;

    /** What a task needs once it is cancelled or enters a scope; kept apart, it leaves every task 16 to 24 bytes smaller. */
    private static final class Cancellation {
        /** A cancellation to throw at the next await point, Python's {@code _must_cancel}. */
        boolean mustCancel;
        /** The last cancel() was passed to {@link #waitingOn}, which accepted it, or cancelled the task's sleep. */
        boolean forwarded;
        /** Python's {@code _num_cancels_requested}: {@code cancel()} calls not yet {@code uncancel()}ed. */
        int requests;
        String message;
        /** How many cancellations were thrown into the coroutine: scopes compare it to spot their own. */
        int deliveries;
        /**
         * A TaskGroup's failures, suppressed on the body's cancellation as its block ended, and
         * which delivered cancellation that was (see TaskGroup.close()); null if none, or once an
         * enclosing group has taken them into its own.
         */
        Replacement replacedBy;
        /** The last exception thrown into the coroutine for a cancellation: what its scopes made of it. */
        Throwable lastDelivered;
        /**
         * What Python's block would have raised in place of the exception leaving it, riding on
         * that exception as a suppressed one (see TaskGroup.close(), Timeout.close()); if it ends
         * the task, the task ends as Python's would, with this. Null if none.
         */
        Throwable leavingInstead;
        /** The Timeout and TaskGroup scopes the coroutine is inside, innermost last. */
        final List<CancelScope> scopes = new ArrayList<>(2);
    }

    /**
     * An ExceptionGroup that stands, as in Python, for the cancellation delivered as the
     * {@code delivery}th, and the exception its group saw leaving the block ({@code rodeOn}; null
     * if none): one that ends the task otherwise is the body's own, which the group could not
     * see and which Python's group would hold.
     */
    record Replacement(ExceptionGroup group, int delivery, Throwable rodeOn) {}

    /*
     * Where the coroutine is between steps: RUNNING (or not started yet, or done); SUSPENDED,
     * parked at an await point with no step scheduled; SCHEDULED, parked (at an await point, or
     * yielding) with its next step in the ready queue. wake() moves SUSPENDED to SCHEDULED and
     * nothing else, so that every await point is resumed exactly once. A byte, not two booleans,
     * keeps a task at 64 bytes with compact object headers.
     */
    private static final byte RUNNING = 0;
    private static final byte SUSPENDED = 1;
    private static final byte SCHEDULED = 2;
    private byte stepState;

    /** {@code body} is a {@link Coroutine Coroutine&lt;T&gt;}, or, for a {@code Task<Void>}, a {@link VoidCoroutine}. */
    Task(EventLoop loop, Object body, String name) {
        super(loop);
        this.body = body;
        this.name = name;
        this.number = COUNTER.incrementAndGet();
    }

    /** The task's name: the one it was given, or {@code Task-N}. Python's {@code get_name()}. */
    public String getName() {
        return name != null ? name : "Task-" + number;
    }

    /** Renames the task. Python's {@code set_name(value)}. */
    public void setName(String value) {
        this.name = String.valueOf(value);
    }

    /** Tasks are completed by their coroutine: always throws, as Python's {@code Task.set_result} does. */
    @Override
    public void setResult(T value) {
        throw new IllegalStateException("Task does not support setResult() operation");
    }

    /** Tasks are completed by their coroutine: always throws, as Python's {@code Task.set_exception} does. */
    @Override
    public void setException(Throwable exception) {
        throw new IllegalStateException("Task does not support setException() operation");
    }

    /**
     * Asks the task to stop, with a message for the {@link CancelledException}. Python's
     * {@code cancel(msg)}. Never blocks; the task is cancelled only when its coroutine has
     * seen the exception and let it through.
     *
     * @return false if the task is done already, true otherwise
     * @throws IllegalStateException if called from another thread while the loop runs
     */
    @Override
    public boolean cancel(String message) {
        loop.requireLoopThread("cancel");
        if (done()) {
            return false;
        }
        Cancellation state = cancellation();
        state.requests++;
        state.message = message;
        Future<?> awaited = waitingOn;
        if (awaited != null && awaited.cancel(message)) {
            // The awaited future is cancelled in our stead; we see it when it wakes us. It may
            // be a task that swallows its cancellation, in which case so do we, as in Python.
            state.forwarded = true;
            return true;
        }
        if (timerIndex != TimerHeap.NOT_IN_HEAP) {
            // Asleep: the sleep is cancelled, as CPython cancels the future its sleep awaits, and
            // ends in a cancellation whatever uncancel() does before the task wakes.
            state.forwarded = true;
            wake();
            return true;
        }
        state.mustCancel = true;
        wake();
        return true;
    }

    /**
     * How many cancellation requests are pending: {@code cancel()} calls not matched by
     * {@link #uncancel()}. Python's {@code cancelling()}.
     */
    public int cancelling() {
        return cancellation == null ? 0 : cancellation.requests;
    }

    /**
     * Takes back one cancellation request; at zero, a cancellation not yet thrown into the
     * coroutine is dropped. Python 3.13's {@code uncancel()}. {@link Timeout} and {@link TaskGroup}
     * use it for the cancellations they make themselves.
     *
     * @return the number of requests left
     */
    public int uncancel() {
        loop.requireLoopThread("uncancel");
        if (cancellation == null) {
            return 0;
        }
        if (cancellation.requests > 0) {
            cancellation.requests--;
            if (cancellation.requests == 0) {
                cancellation.mustCancel = false;
            }
        }
        return cancellation.requests;
    }

    /** A cancellation is waiting to be thrown at the next await point. */
    private boolean mustCancel() {
        Cancellation state = cancellation;
        return state != null && state.mustCancel;
    }

    /** A cancellation is waiting, or the sleep the task is in was cancelled. */
    private boolean cancelPending() {
        Cancellation state = cancellation;
        return state != null && (state.mustCancel || state.forwarded);
    }

    private Cancellation cancellation() {
        if (cancellation == null) {
            cancellation = new Cancellation();
        }
        return cancellation;
    }

    /** How many cancellations were thrown into the coroutine: scopes compare it to spot their own. */
    int deliveries() {
        return cancellation == null ? 0 : cancellation.deliveries;
    }

    /** A TaskGroup's failures standing for a delivered cancellation (see TaskGroup.close()); null if none. */
    Replacement cancellationReplacedBy() {
        return cancellation == null ? null : cancellation.replacedBy;
    }

    void replaceCancellation(Replacement replacement) {
        cancellation().replacedBy = replacement;
    }

    /**
     * The failures a group inside the one closing now left for it (see TaskGroup.close()), if
     * they stand for the latest delivered cancellation; taken, so that they join one group only.
     */
    Replacement takeReplacement() {
        Replacement replacement = cancellationReplacedBy();
        if (replacement == null || replacement.delivery() != deliveries()) {
            return null;
        }
        cancellation.replacedBy = null;
        return replacement;
    }

    /**
     * Records that {@code instead} is what Python's block would raise in place of {@code leaving},
     * the exception leaving the block now: it rides on it, suppressed, and ends the task in its
     * place if {@code leaving} does.
     */
    void leaveInstead(Throwable leaving, Throwable instead) {
        leaving.addSuppressed(instead);
        cancellation().leavingInstead = instead;
    }

    /** What the last cancellation thrown into the coroutine was made into by its scopes; null if none. */
    Throwable lastDelivered() {
        return cancellation == null ? null : cancellation.lastDelivered;
    }

    // =====================================================================================
    // The coroutine's side: runs on the task's own thread, which holds the loop's turn

    /** The body of the task's virtual thread. */
    void runCoroutine() {
        loop.turn.toTask(this, Thread.currentThread());
        try {
            if (mustCancel()) {
                throw deliverCancellation(); // cancelled before it started: the body never runs
            }
            T value = call(body);
            if (mustCancel()) {
                completeCancelled(cancellation.message); // cancelled right before it returned, as in Python
            } else {
                completeWith(value);
            }
        } catch (Throwable failure) {
            Replacement replacement = cancellationReplacedBy();
            Throwable instead = cancellation == null ? null : cancellation.leavingInstead;
            List<Throwable> riding = List.of(failure.getSuppressed());
            if (replacement != null && riding.contains(replacement.group())) {
                // The cancellation (or a Timeout's TimeoutException) that a TaskGroup's failures
                // rode on: Python's task fails with the group. If what ends the task is not that
                // one but an exception of the body's own, Python's group holds it too, last.
                ExceptionGroup group = replacement.group();
                if (failure != replacement.rodeOn() && !(failure instanceof CancelledException)
                        && !group.exceptions().contains(failure)) {
                    group.add(failure);
                }
                completeExceptionally(group);
            } else if (instead != null && riding.contains(instead)) {
                // What Python's block would have raised instead of this (see leaveInstead).
                if (instead instanceof CancelledException e) {
                    completeCancelled(e);
                } else {
                    completeExceptionally(instead);
                }
            } else if (failure instanceof CancelledException e) {
                completeCancelled(e);
            } else {
                completeExceptionally(failure);
            }
        } finally {
            body = null;
            loop.taskDone(this);
            loop.scheduler.finished(this);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T call(Object body) throws Exception {
        if (body instanceof Coroutine<?> coroutine) {
            return (T) coroutine.call();
        }
        ((VoidCoroutine) body).run();
        return null;
    }

    /**
     * Suspends the coroutine until {@code future} is done (or the task is cancelled), delivering a
     * pending cancellation. The heart of every await point.
     */
    void awaitDone(Future<?> future) {
        if (future == this) {
            throw new IllegalStateException("Task cannot await on itself: " + this);
        }
        if (mustCancel() && !future.done() && future.cancel(cancellation.message)) {
            // Cancelled while running, before this await: as in CPython's __step, the future
            // about to be awaited takes the cancellation (an awaited task is cancelled too).
            cancellation.mustCancel = false;
            cancellation.forwarded = true;
        }
        waitingOn = future;
        future.addWaiter(this);
        try {
            while (!future.done() && !mustCancel()) {
                suspendHere();
            }
        } finally {
            waitingOn = null;
            if (!future.done()) {
                future.removeWaiter(this);
            }
        }
        boolean forwarded = cancellation != null && cancellation.forwarded;
        if (forwarded) {
            cancellation.forwarded = false;
        }
        if (mustCancel() || (forwarded && future.cancelled())) {
            throw Rethrow.<RuntimeException>unchecked(deliverCancellation());
        }
    }

    /**
     * Suspends the coroutine until {@code when} on the loop's clock, or until it is cancelled.
     * CPython's sleep awaits a future that a timer completes; here the task itself is the
     * timer, in the loop's heap, which does the same with three objects fewer per sleeping task
     * (future, handle, callback): that counts when a million of them sleep at once.
     * cancel() cancels the sleep itself (see {@link Cancellation#forwarded}).
     */
    void sleepUntil(long when) {
        loop.wakeAt(when, this);
        try {
            // A do-while, suspending once even if the time has come (as Python's sleep does), so
            // that C2 inlines this into the thread's entry: one frame a sleeping task (INTERNALS.md,
            // "A sleeping task's bytes"; benchmarks' sleepers/* measure it).
            if (!cancelPending()) {
                do {
                    suspendHere();
                } while (EventLoop.now() < when && !cancelPending());
            }
        } finally {
            loop.dispatcher.forgetWake(this);
        }
        if (cancelPending()) {
            cancellation.forwarded = false;
            throw Rethrow.<RuntimeException>unchecked(deliverCancellation());
        }
    }

    /** Python's bare {@code yield} ({@code sleep(0)}): lets every other ready step run first. */
    void yieldNow() {
        stepState = SCHEDULED;
        loop.scheduler.yieldNow(this);
        stepState = RUNNING;
        if (mustCancel()) {
            throw Rethrow.<RuntimeException>unchecked(deliverCancellation());
        }
    }

    private void suspendHere() {
        stepState = SUSPENDED;
        loop.scheduler.suspend(this);
        stepState = RUNNING;
    }

    /**
     * Run when the loop reaches this task in its ready queue, where it went as its timer came due
     * (as CPython's timer completes the sleep's future, whose callback then schedules the task):
     * wakes the task, unless its sleep has ended since.
     */
    void wakeFromTimer() {
        if (timerIndex == TIMER_DUE) {
            timerIndex = TimerHeap.NOT_IN_HEAP;
            wake();
        }
    }

    /** Schedules the next step, if the coroutine is suspended and not scheduled yet. */
    void wake() {
        if (stepState == SUSPENDED) {
            stepState = SCHEDULED;
            loop.scheduler.wake(this);
        }
    }

    /*
     * What to throw at an await point for a cancellation. It starts as a CancelledException; each
     * scope around the coroutine that made a cancellation request of its own then says what the
     * exception becomes as it passes that scope (Python's __aexit__ methods do this as the
     * exception goes by; Java's close() cannot, so it is decided here, innermost scope first).
     * The request count each scope sees is the one Python's would see after the uncancel() calls
     * of the scopes inside it.
     */
    private Throwable deliverCancellation() {
        Cancellation state = cancellation(); // made already, by the cancel() that led here
        state.mustCancel = false;
        state.deliveries++;
        Throwable exception = new CancelledException(state.message);
        int requests = state.requests;
        for (int i = state.scopes.size() - 1; i >= 0; i--) {
            CancelScope scope = state.scopes.get(i);
            if (scope.requestedCancel()) {
                requests--;
                exception = scope.onDelivery(exception, requests);
            }
        }
        state.lastDelivered = exception;
        return exception;
    }

    /** Whether {@code exception} is what a TaskGroup the coroutine is still inside raised into its body. */
    boolean raisedByAnEnclosingGroup(Throwable exception) {
        if (cancellation == null || exception == null) {
            return false;
        }
        for (CancelScope scope : cancellation.scopes) {
            if (scope instanceof TaskGroup group && group.raised() == exception) {
                return true;
            }
        }
        return false;
    }

    /** How many of the scopes the coroutine is inside have a cancellation request of their own pending. */
    int scopeRequests() {
        if (cancellation == null) {
            return 0;
        }
        int n = 0;
        for (CancelScope scope : cancellation.scopes) {
            if (scope.requestedCancel()) {
                n++;
            }
        }
        return n;
    }

    void enterScope(CancelScope scope) {
        cancellation().scopes.add(scope);
    }

    void exitScope(CancelScope scope) {
        List<CancelScope> scopes = cancellation == null ? List.of() : cancellation.scopes;
        if (scopes.isEmpty() || scopes.get(scopes.size() - 1) != scope) {
            throw new IllegalStateException("scopes must be closed in the reverse order they were entered: " + scope);
        }
        scopes.remove(scopes.size() - 1);
    }

    @Override
    public String toString() {
        return "Task[" + getName() + ", " + stateName() + "]";
    }
}

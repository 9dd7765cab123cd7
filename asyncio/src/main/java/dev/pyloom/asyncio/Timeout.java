package dev.pyloom.asyncio;

import dev.pyloom.common.Durations;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * A deadline for a block of a coroutine: Python's {@code asyncio.timeout()} /
 * {@code asyncio.Timeout}, as try-with-resources.
 *
 * <pre>{@code
 * try (var scope = Asyncio.timeout(Duration.ofSeconds(1))) {   // async with asyncio.timeout(1):
 *     reply = slowOperation();
 * } catch (TimeoutException e) {
 *     // slowOperation() was still awaiting after one second; it has been cancelled
 * }
 * }</pre>
 *
 * <p>When the deadline passes, the task is cancelled. Python's scope then turns the
 * {@code CancelledError} that comes out of the block into {@code TimeoutError}; Java's
 * {@code close()} cannot replace an exception leaving a try block, so pyloom throws the
 * {@link TimeoutException} at the await point where the coroutine is suspended. {@code finally}
 * blocks run as usual; a {@code catch (CancelledException e)} inside the block does not see an
 * expiry. The rules are Python's:
 * <ul>
 *   <li>only a scope that expired raises: an enclosing scope that expired while an inner one did
 *       not makes a {@code TimeoutException} come out of the outer block (it passes the inner);</li>
 *   <li>when both expired, the outermost one raises;</li>
 *   <li>an explicit {@link Task#cancel(String) cancel()} of the task wins: the coroutine gets a
 *       {@link CancelledException};</li>
 *   <li>a block that finishes without reaching an await point after the deadline completes
 *       normally, and the pending cancellation is taken back.</li>
 * </ul>
 *
 * <p>Because the outer scope's {@code TimeoutException} is thrown where the coroutine waits, a
 * {@code catch (TimeoutException e)} inside this block, meant for an inner scope or a
 * {@link Asyncio#waitFor waitFor}, also catches this scope's expiry (in Python it passes inner
 * code as a {@code CancelledError}): such a catch should rethrow when {@link #expired()} is true.
 *
 * <p>A scope is entered once ({@link Asyncio#timeout} and {@link Asyncio#timeoutAt} enter it for
 * you); entering it again throws. Scopes of one task must be closed in reverse order of entering,
 * which try-with-resources guarantees.
 */
public final class Timeout implements AutoCloseable, CancelScope {

    /*
     * state: CREATED -> ENTERED -> EXPIRING -> EXPIRED
     *                   ENTERED -> EXITED
     * EXPIRING: the deadline passed and the task was cancelled; EXPIRED/EXITED: closed.
     * Only touched on the loop.
     */
    private enum State { CREATED, ENTERED, EXPIRING, EXPIRED, EXITED }

    private State state = State.CREATED;
    private Long when; // loop-clock nanoseconds; null: no deadline
    private Task<?> task;
    private Handle timer;
    /** The task's cancelling() count when the scope was entered, Python's {@code _cancelling}. */
    private int cancellingAtEnter;
    /** The TimeoutException this scope made of its cancellation, thrown where the coroutine waited; null if none. */
    private TimeoutException raised;

    /**
     * A scope with a deadline at {@code when} on the loop's clock ({@link EventLoop#time()}), or
     * none if {@code when} is null, not yet entered. Python's {@code asyncio.Timeout(when)}.
     */
    public Timeout(Duration when) {
        this.when = when == null ? null : Durations.delayNanos(when, "when");
    }

    /**
     * Enters the scope: its deadline starts to count for the current task. Python's
     * {@code __aenter__}. Never blocks.
     *
     * @throws IllegalStateException if the scope was entered before, or if not called from a coroutine
     */
    public Timeout enter() {
        if (state != State.CREATED) {
            throw new IllegalStateException("Timeout has already been entered");
        }
        task = EventLoop.currentTask("Timeout.enter()");
        state = State.ENTERED;
        cancellingAtEnter = task.cancelling();
        task.enterScope(this);
        reschedule(when);
        return this;
    }

    /** The deadline on the loop's clock, if there is one. Python's {@code when()}. */
    public Optional<Duration> when() {
        return Optional.ofNullable(when).map(Duration::ofNanos);
    }

    /**
     * Moves the deadline to {@code newWhen} on the loop's clock; null removes it. A deadline in
     * the past expires the scope at once. Python's {@code reschedule(when)}.
     *
     * @throws IllegalStateException if the scope is not entered, or has expired or been closed
     */
    public void reschedule(Duration newWhen) {
        reschedule(newWhen == null ? null : Durations.delayNanos(newWhen, "newWhen"));
    }

    private void reschedule(Long newWhen) {
        if (state != State.ENTERED) {
            throw new IllegalStateException(state == State.CREATED ? "Timeout has not been entered"
                    : "Cannot change state of " + state.name().toLowerCase(java.util.Locale.ROOT) + " Timeout");
        }
        when = newWhen;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        if (newWhen == null) {
            return;
        }
        if (newWhen <= EventLoop.now()) {
            // Due already: expire before the task's own next step, as Python's call_soon does
            // here, so that the very next await point raises, a sleep(0) included. A timer in
            // the heap would come due only after the steps that are ready now.
            timer = task.loop.callSoon(this::onTimeout);
        } else {
            timer = task.loop.callAtNanos(newWhen, this::onTimeout);
        }
    }

    /** Whether the deadline passed while the scope was entered. Python's {@code expired()}. */
    public boolean expired() {
        return state == State.EXPIRING || state == State.EXPIRED;
    }

    private void onTimeout() {
        timer = null;
        if (state == State.ENTERED) {
            task.cancel();
            state = State.EXPIRING;
        }
    }

    /**
     * Leaves the scope: stops its timer and, if it expired, takes back the cancellation it made.
     * Python's {@code __aexit__}. Never blocks. Declared to throw {@link TimeoutException} so
     * that a {@code catch (TimeoutException e)} around the try block compiles; the exception
     * itself is thrown at the await point (see the class documentation), never here.
     *
     * @throws IllegalStateException if the scope is not entered, or closed already
     */
    @Override
    public void close() throws TimeoutException {
        if (state != State.ENTERED && state != State.EXPIRING) {
            throw new IllegalStateException("Timeout is not entered: " + state);
        }
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        task.exitScope(this);
        if (state == State.EXPIRING) {
            state = State.EXPIRED;
            // Requests the enclosing scopes made (a TaskGroup whose child failed) decide as those
            // scopes end; only one from elsewhere, an explicit cancel(), makes Python's block let
            // its cancellation through instead of the TimeoutError.
            if (task.uncancel() - task.scopeRequests() > cancellingAtEnter && raised != null) {
                // Cancelled again since the expiry was raised (while a TaskGroup waited, say):
                // Python decides here, as the block ends, and lets the cancellation through. The
                // TimeoutException is on its way already; the cancellation rides on it, and ends
                // the task in its place if it ends the task.
                task.leaveInstead(raised, new CancelledException(null));
            }
        } else {
            state = State.EXITED;
        }
    }

    @Override
    public boolean requestedCancel() {
        return state == State.EXPIRING;
    }

    @Override
    public Throwable onDelivery(Throwable inFlight, int requestsLeft) {
        if (inFlight instanceof CancelledException cancelled && requestsLeft <= cancellingAtEnter) {
            TimeoutException timedOut = new TimeoutException("the timeout scope expired");
            timedOut.initCause(cancelled);
            raised = timedOut;
            return timedOut;
        }
        return inFlight;
    }

    @Override
    public String toString() {
        return "Timeout[" + state.name().toLowerCase(java.util.Locale.ROOT)
                + (when == null ? "" : ", when=" + Duration.ofNanos(when)) + "]";
    }
}

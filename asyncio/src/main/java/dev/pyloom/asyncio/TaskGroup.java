package dev.pyloom.asyncio;

import dev.pyloom.asyncio.internal.Rethrow;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A group of tasks that ends together: Python's {@code asyncio.TaskGroup}, as try-with-resources.
 *
 * <pre>{@code
 * try (var group = new TaskGroup()) {          // async with asyncio.TaskGroup() as group:
 *     Task<String> a = group.createTask(() -> fetch("a"));
 *     Task<String> b = group.createTask(() -> fetch("b"));
 * }                                            // waits for both
 * }</pre>
 *
 * <p>{@link #close()} waits until every task of the group is done. If a task fails, the others
 * are cancelled, and so is the body of the try block (at its await point); once every task has
 * finished, the failures are raised together as one {@link ExceptionGroup}. A task that was
 * cancelled explicitly does not fail the group. If the coroutine running the group is cancelled
 * from outside, the group's tasks are cancelled too and the cancellation goes on.
 *
 * <p>As with {@link Timeout}, Java's {@code close()} cannot replace an exception leaving the
 * block: when a child failure cancels the body, the {@code ExceptionGroup} is thrown at the
 * body's await point and {@code close()} completes it with the failures of the tasks that finish
 * after. Nested groups raise what Python raises: the outer group's failures, then the inner
 * group's {@code ExceptionGroup}. Two differences from Python follow from {@code close()} not
 * being told how the block ended (the module README says more):
 * <ul>
 *   <li>if the body itself throws, or an inner group's {@code ExceptionGroup} leaves a nested
 *       block, {@code close()} waits for the tasks without cancelling them (Python cancels
 *       them); to have a failing inner group stop this one, run it as a task of this group;</li>
 *   <li>if the body catches the group's {@code ExceptionGroup} and goes on, {@code close()}
 *       returns normally (Python would raise the group again).</li>
 * </ul>
 *
 * <p>Creating the group enters it, in the current task; it cannot be entered twice.
 */
public final class TaskGroup implements AutoCloseable, CancelScope {

    private final EventLoop loop;
    private final Task<?> parent;
    private final Set<Task<?>> tasks = new LinkedHashSet<>();
    private final List<Throwable> errors = new ArrayList<>();
    private final int deliveriesAtEnter;
    private final int cancellingAtEnter;
    /** Completed when the last task is done, while close() waits; Python's {@code _on_completed_fut}. */
    private Future<Void> allDone;
    private boolean exiting;
    private boolean aborting;
    /** The group cancelled its parent task (a child failed); close() takes the request back. */
    private boolean parentCancelRequested;
    /** The group raised at the body's await point, still collecting the late failures. */
    private ExceptionGroup raised;
    /** {@link #raised} is on its way out of the body: close() must not throw it again. */
    private boolean raisedInFlight;

    /**
     * Creates and enters a group in the current task. Python's {@code TaskGroup()} with
     * {@code __aenter__}.
     *
     * @throws IllegalStateException if not called from a coroutine
     */
    public TaskGroup() {
        this.parent = EventLoop.currentTask("TaskGroup()");
        this.loop = parent.loop;
        this.deliveriesAtEnter = parent.deliveries();
        this.cancellingAtEnter = parent.cancelling();
        parent.enterScope(this);
    }

    /**
     * Starts {@code coroutine} as a task of the group. Python's {@code create_task(coro, name=None)}.
     * Never blocks.
     *
     * @throws IllegalStateException if the group has finished or is cancelling its tasks
     */
    public <T> Task<T> createTask(Coroutine<T> coroutine, String name) {
        Objects.requireNonNull(coroutine, "coroutine");
        loop.requireLoopThread("TaskGroup.createTask");
        if (exiting && tasks.isEmpty()) {
            throw new IllegalStateException("TaskGroup " + this + " is finished");
        }
        if (aborting) {
            throw new IllegalStateException("TaskGroup " + this + " is shutting down");
        }
        Task<T> task = loop.createTask(coroutine, name);
        tasks.add(task);
        task.addDoneCallback(this::taskDone);
        return task;
    }

    /** {@link #createTask(Coroutine, String)} with the default name. */
    public <T> Task<T> createTask(Coroutine<T> coroutine) {
        return createTask(coroutine, null);
    }

    /** {@link #createTask(Coroutine)} for a coroutine without a result. */
    public Task<Void> createTask(VoidCoroutine coroutine) {
        return createTask(coroutine.asCoroutine(), null);
    }

    /**
     * Waits until every task of the group is done; raises their failures as one
     * {@link ExceptionGroup}. Python's {@code __aexit__}. An await point.
     *
     * @throws ExceptionGroup     the failures of the group's tasks, oldest first
     * @throws CancelledException if the parent task was cancelled while it waited here
     */
    @Override
    public void close() {
        exiting = true;
        // Python's "et is CancelledError": a cancellation reached the body and was not taken
        // back. One the body handled (an inner timeout that expired, a waitFor that timed out,
        // a cancel followed by uncancel()) left the cancel count as it was: the children go on.
        boolean bodyCancelled = parent.deliveries() != deliveriesAtEnter && parent.cancelling() > cancellingAtEnter;
        // What that cancellation became as it was thrown into the body: leaving the block already.
        Throwable leavingTheBody = bodyCancelled ? parent.lastDelivered() : null;
        if (bodyCancelled && !aborting) {
            abort();
        }
        Throwable cancellation = null;
        Throwable outerRaised = null;
        while (!tasks.isEmpty()) {
            allDone = new Future<>(loop);
            try {
                allDone.await();
            } catch (Exception delivered) {
                if (delivered == raised) {
                    // ours: thrown below, unless the body is throwing it already
                } else if (!aborting) {
                    cancellation = delivered; // the parent was cancelled from outside while we waited
                    abort();
                } else if (!(delivered instanceof CancelledException)) {
                    // An enclosing scope's exception (its TaskGroup's failures, holding ours if
                    // we had raised): it must leave this block. A plain cancellation, while we
                    // cancel our tasks already, is dropped, as in Python.
                    outerRaised = delivered;
                }
            }
            allDone = null;
        }
        parent.exitScope(this);
        if (parentCancelRequested && parent.uncancel() == 0) {
            cancellation = null; // that cancellation was ours alone
        }
        // What leaves this block besides our own failures: an exception delivered while we waited
        // (an enclosing scope's, or a cancellation from outside), which close() must throw.
        Throwable passing = outerRaised != null ? outerRaised : cancellation;
        if (passing == leavingTheBody) {
            passing = null; // delivered again while we waited, and already on its way out of the body
        }
        // Python's "et is CancelledError", or a cancellation during __aexit__'s wait: our failures,
        // if any, replace it as they leave the block.
        boolean endedByCancellation = bodyCancelled || passing != null;
        // A group inside this block whose failures replaced the same cancellation: in Python this
        // block's body ended with that group, which joins this group's failures, last.
        Task.Replacement nested = endedByCancellation ? parent.takeReplacement() : null;
        if (passing != null && leavingTheBody != null) {
            // The body is throwing one exception and close() received another, which Python's
            // block would raise in its place (it came later, from an enclosing scope): it can only
            // ride on the body's, and ends the task in its place if that ends the task.
            parent.leaveInstead(leavingTheBody, passing);
            passing = null;
        }
        if (raised != null) {
            if (nested != null) {
                raised.add(nested.group());
            }
            if (passing != null) {
                throw Rethrow.<RuntimeException>unchecked(passing);
            }
            if (!raisedInFlight) {
                throw raised;
            }
            return; // already on its way out of the body, now with every failure in it
        }
        if (nested != null) {
            errors.add(nested.group());
        }
        if (!errors.isEmpty()) {
            if (!endedByCancellation) {
                throw new ExceptionGroup("unhandled errors in a TaskGroup", errors);
            }
            Throwable leaving = passing != null ? passing : leavingTheBody;
            boolean enclosingGroups = parent.raisedByAnEnclosingGroup(leaving);
            if (leaving instanceof ExceptionGroup inner && !enclosingGroups && passing == null) {
                // A group inside this block raised into our body: in Python its failures end the
                // body and join ours, last.
                errors.add(inner);
            }
            ExceptionGroup group = new ExceptionGroup("unhandled errors in a TaskGroup", errors);
            // Python raises the group in place of what ended the body. Here it can only ride on
            // what leaves the block: the enclosing group that takes it in, or the task, which
            // fails with it if that ends the task, as Python's does.
            parent.replaceCancellation(new Task.Replacement(group, parent.deliveries(), leaving));
            if (enclosingGroups) {
                // An enclosing group's failures, on their way out (delivered into our body, or
                // here): that group takes ours in as its block ends.
                if (passing != null) {
                    throw Rethrow.<RuntimeException>unchecked(passing);
                }
                return;
            }
            if (leaving instanceof ExceptionGroup inner && passing == null) {
                parent.leaveInstead(inner, group); // the inner group's failures are leaving the body already
                return;
            }
            throw group;
        }
        if (passing != null) {
            throw Rethrow.<RuntimeException>unchecked(passing);
        }
    }

    private void taskDone(Future<?> task) {
        tasks.remove((Task<?>) task);
        if (allDone != null && tasks.isEmpty() && !allDone.done()) {
            allDone.setResult(null);
        }
        if (task.cancelled()) {
            return;
        }
        Throwable failure = task.exceptionNow();
        if (failure == null) {
            return;
        }
        if (raised != null) {
            raised.add(failure);
        } else {
            errors.add(failure);
        }
        if (parent.done()) {
            loop.callExceptionHandler(new ExceptionContext(
                    "Task has errored out but its parent task is already completed", failure, task, null));
            return;
        }
        if (!aborting && !parentCancelRequested) {
            // Stop the siblings, and the body of the block: it must not go on as if all were well.
            abort();
            parentCancelRequested = true;
            parent.cancel();
        }
    }

    private void abort() {
        aborting = true;
        for (Task<?> task : tasks) {
            if (!task.done()) {
                task.cancel();
            }
        }
    }

    /** The exception this group raised into its body, or null: for {@link Task#raisedByAnEnclosingGroup}. */
    ExceptionGroup raised() {
        return raised;
    }

    @Override
    public boolean requestedCancel() {
        return parentCancelRequested;
    }

    @Override
    public Throwable onDelivery(Throwable inFlight, int requestsLeft) {
        if (raised == null) {
            if (!(inFlight instanceof CancelledException)) {
                errors.add(inFlight); // Python adds a non-cancellation exception of the body to the group
            }
            raised = new ExceptionGroup("unhandled errors in a TaskGroup", errors);
            errors.clear();
        } else if (inFlight != raised && !(inFlight instanceof CancelledException)
                && !raised.exceptions().contains(inFlight)) {
            raised.add(inFlight); // a scope inside ours raised it since: in Python it ends our body, and joins us
        }
        if (!exiting) {
            raisedInFlight = true; // thrown into the body; one delivered in close() is close()'s to throw
        }
        return raised;
    }

    @Override
    public String toString() {
        return "TaskGroup[" + tasks.size() + " tasks" + (aborting ? ", cancelling" : "") + "]";
    }
}

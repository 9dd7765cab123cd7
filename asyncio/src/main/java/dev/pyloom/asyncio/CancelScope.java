package dev.pyloom.asyncio;

/**
 * A scope inside a coroutine that may cancel the coroutine's task for a reason of its own: a
 * {@link Timeout} that expired, a {@link TaskGroup} whose child failed. The task asks its scopes,
 * innermost first, what a cancellation becomes as it leaves each of them (see
 * {@code Task.deliverCancellation}).
 */
sealed interface CancelScope permits Timeout, TaskGroup {

    /** Whether this scope has called {@code cancel()} on its task and not yet taken it back. */
    boolean requestedCancel();

    /**
     * What {@code inFlight} becomes as it leaves this scope, given how many cancellation requests
     * are left once this scope has taken its own back: Python's {@code __aexit__} decision.
     */
    Throwable onDelivery(Throwable inFlight, int requestsLeft);
}

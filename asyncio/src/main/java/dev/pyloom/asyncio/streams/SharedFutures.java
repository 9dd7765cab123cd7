package dev.pyloom.asyncio.streams;

import dev.pyloom.asyncio.Future;
import dev.pyloom.asyncio.internal.LoopAccess;
import java.util.function.Consumer;

/**
 * Waiting for a future that others wait for too (a child's exit, a connection's end). Awaiting
 * such a future directly would hand it the waiting task's cancellation, and a
 * {@code waitFor(proc::await, t)} that timed out would cancel the exit for everyone; so each
 * wait gets a waiter of its own, as CPython's {@code Process.wait()} and
 * {@code StreamWriter.wait_closed()} do.
 */
final class SharedFutures {

    private static final LoopAccess ACCESS = LoopAccess.get();

    private SharedFutures() {}

    /**
     * Suspends the calling coroutine until {@code shared} is done, without cancelling it if the
     * coroutine is cancelled meanwhile. An await point.
     *
     * @param what the call, for the message if the caller is not a coroutine
     */
    static void awaitDone(String what, Future<?> shared) {
        if (shared.done()) {
            return;
        }
        Future<Void> waiter = shared.getLoop().createFuture();
        Consumer<Future<?>> release = done -> {
            if (!waiter.done()) {
                waiter.setResult(null);
            }
        };
        shared.addDoneCallback(release);
        try {
            ACCESS.awaitDone(what, waiter);
        } finally {
            shared.removeDoneCallback(release);
        }
    }
}

package dev.pyloom.asyncio;

import java.util.ArrayList;
import java.util.List;

/**
 * The future behind {@link Asyncio#gather}: CPython's {@code _GatheringFuture}. It completes
 * with the children's results in order once all are done, or with the first failure at once
 * (unless it returns exceptions as results). Cancelling it cancels every child.
 */
final class GatheringFuture extends Future<List<Object>> {

    private final List<? extends Future<?>> children;
    private final boolean returnExceptions;
    private int finished;
    /** cancel() reached the children: when they are done, this future ends cancelled too. */
    private boolean cancelRequested;
    private String cancelMessage;

    GatheringFuture(EventLoop loop, List<? extends Future<?>> children, boolean returnExceptions) {
        super(loop);
        this.children = children;
        this.returnExceptions = returnExceptions;
        if (children.isEmpty()) {
            completeWith(List.of());
            return;
        }
        java.util.function.Consumer<Future<?>> onChildDone = this::childDone; // one object for all children
        for (Future<?> child : children) {
            loop.requireSameLoop(child);
            child.addDoneCallback(onChildDone);
        }
    }

    @Override
    public boolean cancel(String message) {
        loop.requireLoopThread("cancel");
        if (done()) {
            return false;
        }
        boolean any = false;
        for (Future<?> child : children) {
            if (child.cancel(message)) {
                any = true;
            }
        }
        if (any) {
            // Not done yet: a child may swallow its cancellation. Python sets the same flag.
            cancelRequested = true;
            cancelMessage = message;
        }
        return any;
    }

    private void childDone(Future<?> child) {
        finished++;
        if (done()) {
            child.exceptionNow(); // the gather has raised already: this failure is taken care of, as in Python
            return;
        }
        if (!returnExceptions) {
            if (child.cancelled()) {
                if (cancelRequested) {
                    completeCancelled(cancelMessage);
                } else {
                    // A child cancelled by somebody else: gather raises, but is not itself cancelled.
                    completeExceptionally(new CancelledException("a gathered awaitable was cancelled"));
                }
                return;
            }
            Throwable failure = child.exceptionNow();
            if (failure != null) {
                completeExceptionally(failure);
                return;
            }
        }
        if (finished == children.size()) {
            if (cancelRequested) {
                completeCancelled(cancelMessage);
                return;
            }
            List<Object> results = new ArrayList<>(children.size());
            for (Future<?> each : children) {
                results.add(outcomeOf(each));
            }
            completeWith(results);
        }
    }

    private static Object outcomeOf(Future<?> done) {
        if (done.cancelled()) {
            return new CancelledException(null);
        }
        Throwable failure = done.exceptionNow();
        if (failure != null) {
            return failure;
        }
        try {
            return done.result();
        } catch (Exception impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}

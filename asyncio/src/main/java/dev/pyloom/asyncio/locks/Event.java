package dev.pyloom.asyncio.locks;

import java.util.ArrayDeque;
import dev.pyloom.asyncio.CancelledException;
import dev.pyloom.asyncio.EventLoop;
import dev.pyloom.asyncio.Future;
import dev.pyloom.asyncio.LoopBound;

/**
 * A flag coroutines wait for: Python's {@code asyncio.Event}.
 *
 * <p>{@link #set()} raises the flag and wakes every waiting coroutine; {@link #clear()} lowers it;
 * {@link #await()} returns at once while it is up and otherwise suspends until a {@code set()}.
 * Python calls the wait {@code wait}; {@code java.lang.Object} owns that name, so here it is
 * {@code await}, as in pyloom's threading module. Bound to one loop; not thread-safe (other
 * threads call {@code loop.callSoonThreadsafe(event::set)}).
 */
public final class Event extends LoopBound {

    private boolean value;
    private final ArrayDeque<Future<Void>> waiters = new ArrayDeque<>();

    /** An event whose flag is down. */
    public Event() {}

    /** Whether the flag is up. Python's {@code is_set()}. */
    public boolean isSet() {
        loop();
        return value;
    }

    /** Raises the flag and wakes every waiting coroutine. Python's {@code set()}. Never blocks. */
    public void set() {
        loop();
        if (!value) {
            value = true;
            for (Future<Void> waiter : waiters) {
                if (!waiter.done()) {
                    waiter.setResult(null);
                }
            }
        }
    }

    /** Lowers the flag. Python's {@code clear()}. */
    public void clear() {
        loop();
        value = false;
    }

    /**
     * Returns at once if the flag is up; otherwise suspends the coroutine until {@link #set()}.
     * Python's {@code await event.wait()}. An await point.
     *
     * @throws CancelledException if the task is cancelled while it waits
     */
    public void await() {
        EventLoop loop = coroutineLoop("await");
        if (value) {
            return;
        }
        awaitInLine(loop.createFuture(), waiters);
    }

    @Override
    public String toString() {
        return "Event[" + (value ? "set" : "unset") + (waiters.isEmpty() ? "" : ", waiters:" + waiters.size()) + "]";
    }
}

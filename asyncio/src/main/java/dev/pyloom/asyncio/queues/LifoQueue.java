package dev.pyloom.asyncio.queues;

import java.util.ArrayDeque;
import java.util.Collections;

/**
 * A {@link Queue} that hands out the newest item first: Python's {@code asyncio.LifoQueue}.
 *
 * @param <E> the type of the items
 */
public final class LifoQueue<E> extends Queue<E> {

    /** An unbounded last-in, first-out queue. */
    public LifoQueue() {
        this(0);
    }

    /** A last-in, first-out queue of at most {@code maxsize} items (zero or less: unbounded). */
    public LifoQueue(int maxsize) {
        super(maxsize, Collections.asLifoQueue(new ArrayDeque<>()));
    }
}

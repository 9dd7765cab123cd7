package dev.pyloom.asyncio.queues;

import java.util.Comparator;

/**
 * A {@link Queue} that hands out the smallest item first: Python's {@code asyncio.PriorityQueue}.
 * Items are compared by their natural order (Python compares them with {@code <}), or by a
 * comparator; a common idiom is a record {@code (priority, data)} with a comparator on priority.
 *
 * @param <E> the type of the items
 */
public final class PriorityQueue<E> extends Queue<E> {

    /** An unbounded priority queue of {@link Comparable} items. */
    public PriorityQueue() {
        this(0);
    }

    /** A priority queue of at most {@code maxsize} {@link Comparable} items (zero or less: unbounded). */
    public PriorityQueue(int maxsize) {
        super(maxsize, new java.util.PriorityQueue<>());
    }

    /** A priority queue of at most {@code maxsize} items (zero or less: unbounded), ordered by {@code comparator}. */
    public PriorityQueue(int maxsize, Comparator<? super E> comparator) {
        super(maxsize, new java.util.PriorityQueue<>(comparator));
    }
}

package dev.pyloom.asyncio.queues;

import java.io.Serial;
import java.util.NoSuchElementException;

/** Thrown by {@link Queue#getNowait()} when the queue is empty: Python's {@code asyncio.QueueEmpty}. */
public final class QueueEmptyException extends NoSuchElementException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** An exception saying the queue is empty. */
    public QueueEmptyException() {
        super("the queue is empty");
    }
}

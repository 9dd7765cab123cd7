package dev.pyloom.asyncio.queues;

import java.io.Serial;

/** Thrown by {@link Queue#putNowait} when the queue is full: Python's {@code asyncio.QueueFull}. */
public final class QueueFullException extends IllegalStateException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** An exception saying the queue is full. */
    public QueueFullException() {
        super("the queue is full");
    }
}

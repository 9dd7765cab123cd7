package dev.pyloom.asyncio.queues;

import java.io.Serial;

/** Thrown by a {@link Queue}'s put and get once it is {@linkplain Queue#shutdown shut down}: Python's {@code asyncio.QueueShutDown}. */
public final class QueueShutDownException extends IllegalStateException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** An exception saying the queue is shut down. */
    public QueueShutDownException() {
        super("the queue is shut down");
    }
}

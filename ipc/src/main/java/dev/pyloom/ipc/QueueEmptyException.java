package dev.pyloom.ipc;

import java.util.NoSuchElementException;

/**
 * A queue had nothing to give: {@code getNowait()} on an empty queue, or a {@code get(timeout)}
 * that timed out. Python's {@code queue.Empty}.
 */
public final class QueueEmptyException extends NoSuchElementException {

    private static final long serialVersionUID = 1L;

    /**
     * A queue is empty. Public so that a queue of another pyloom module with this module's API
     * (pyloom-cluster's {@code ClusterQueue}) throws the same exception.
     */
    public QueueEmptyException() {
        super("queue is empty");
    }
}

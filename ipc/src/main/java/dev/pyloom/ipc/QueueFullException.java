package dev.pyloom.ipc;

/**
 * A bounded queue had no room: {@code putNowait()} on a full queue, or a {@code put(item,
 * timeout)} that timed out. Python's {@code queue.Full}.
 */
public final class QueueFullException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * A queue is full. Public so that a queue of another pyloom module with this module's API
     * (pyloom-cluster's {@code ClusterQueue}) throws the same exception.
     */
    public QueueFullException() {
        super("queue is full");
    }
}

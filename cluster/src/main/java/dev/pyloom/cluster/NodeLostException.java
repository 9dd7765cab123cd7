package dev.pyloom.cluster;

/**
 * The node running a task was lost before it answered: its process was killed, it froze, or
 * the network cut it off, and the cluster dropped it. Only the tasks that node had fail; the
 * pool sends nothing more there and goes on with the other nodes. The task may or may not
 * have run, in part or to its end: pyloom never runs it again.
 */
public final class NodeLostException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String node;

    /** {@code node} describes the node ({@code node n1 (10.0.0.5:5701)}); {@code cause} is what showed it lost, or null. */
    public NodeLostException(String node, Throwable cause) {
        super(node + " was lost before it answered: the task may or may not have run there, and is not run again"
                + (cause == null ? " (the node left the cluster)" : " (" + cause + ")"), cause);
        this.node = node;
    }

    /** The node, as {@code node NAME (HOST:PORT)}. */
    public String node() {
        return node;
    }
}

package dev.pyloom.cluster;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The tutorial's writer and reader (Python's {@code multiprocessing} docs: "the reader_proc
 * reads what the writer puts until DONE"), as tasks that run on a node's worker and open the
 * queue there.
 */
final class ClusterQueueTasks {

    static final String DONE = "DONE";

    private ClusterQueueTasks() {}

    /** What a reader read, and the node it ran on. */
    record Read(String node, List<String> items) {}

    /** Puts {@code count} items, then {@link #DONE}; returns the node it ran on. */
    static String writer(String queue, int count) throws IOException {
        try (ClusterQueue<String> q = ClusterQueue.onThisNode(queue, String.class)) {
            for (int i = 0; i < count; i++) {
                q.put("item " + i);
            }
            q.put(DONE);
        }
        return System.getProperty("pyloom.node");
    }

    /** Gets items until {@link #DONE} (each within 30 seconds, so that a lost writer fails it rather than hangs it). */
    static Read reader(String queue) throws IOException {
        List<String> items = new ArrayList<>();
        try (ClusterQueue<String> q = ClusterQueue.onThisNode(queue, String.class)) {
            for (String item = q.get(Duration.ofSeconds(30)); !item.equals(DONE); item = q.get(Duration.ofSeconds(30))) {
                items.add(item);
            }
        }
        return new Read(System.getProperty("pyloom.node"), items);
    }
}

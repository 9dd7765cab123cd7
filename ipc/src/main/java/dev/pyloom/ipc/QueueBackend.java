package dev.pyloom.ipc;

import java.io.IOException;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a queue object does with its encoded items: keep them ({@link LocalQueue}, in the process
 * that created the queue) or ask that process ({@link RemoteQueue}, everywhere else). The public
 * queue classes are the same in every process; only this differs.
 *
 * <p>Timeouts are in nanoseconds, {@link QueueStore#FOREVER} for none, 0 for "do not wait".
 */
interface QueueBackend {

    /** Adds an item, waiting for room in a bounded queue; {@link QueueFullException} if none came in time. */
    void put(byte[] item, long nanos) throws IOException;

    /** Takes the oldest item, waiting for one; {@link QueueEmptyException} if none came in time. */
    byte[] get(long nanos) throws IOException;

    /** The number of items in the queue (approximate, as in Python, while other processes use it). */
    int qsize() throws IOException;

    int maxsize();

    /** {@code task_done()} of a JoinableQueue. */
    void taskDone() throws IOException;

    /** {@code join()} of a JoinableQueue. */
    void join() throws IOException;

    /** The handle through which another process reaches this queue. */
    ObjectNode handle();

    /** Lets go of this process's view of the queue. */
    void close() throws IOException;
}

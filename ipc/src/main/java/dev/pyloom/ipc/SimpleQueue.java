package dev.pyloom.ipc;

import java.io.IOException;
import java.util.Objects;

/**
 * An unbounded queue with the fewest operations: Python's {@code multiprocessing.SimpleQueue}.
 * Shared between processes exactly as a {@link Queue} is (it is the same machinery, without
 * bounds, timeouts or sizes).
 */
public final class SimpleQueue<T> implements AutoCloseable {

    private final QueueCore<T> core;

    private SimpleQueue(QueueCore<T> core) {
        this.core = core;
    }

    /** A simple queue of plain JSON values. Python's {@code SimpleQueue()}. */
    public static SimpleQueue<Object> create() {
        return new SimpleQueue<>(QueueCore.local(Codec.ANY, 0, QueueCore.SIMPLE));
    }

    /** A simple queue of {@code type}. */
    public static <T> SimpleQueue<T> of(Class<T> type) {
        return new SimpleQueue<>(QueueCore.local(Codec.type(Objects.requireNonNull(type, "type")), 0, QueueCore.SIMPLE));
    }

    /**
     * The simple queue whose handle is {@code handle}.
     *
     * @throws IOException if the handle is malformed (or not a simple queue's), or the owner is unreachable
     */
    public static <T> SimpleQueue<T> fromHandle(String handle, Class<T> type) throws IOException {
        return fromHandle(QueueCore.parseHandle(handle), Codec.type(Objects.requireNonNull(type, "type")));
    }

    static <T> SimpleQueue<T> fromHandle(tools.jackson.databind.JsonNode handle, tools.jackson.databind.JavaType type)
            throws IOException {
        return new SimpleQueue<>(QueueCore.remote(handle, type, QueueCore.SIMPLE));
    }

    /** Adds {@code item}. Python's {@code put(obj)}. */
    public void put(T item) throws IOException {
        core.put(item, QueueStore.FOREVER);
    }

    /** Removes and returns the oldest item, waiting for one. Python's {@code get()}. */
    public T get() throws IOException {
        return core.get(QueueStore.FOREVER);
    }

    /** Whether the queue is empty. Python's {@code empty()}. */
    public boolean empty() throws IOException {
        core.checkOpen();
        return core.backend.qsize() == 0;
    }

    /**
     * A handle for another process; see {@link Queue#toHandle()}.
     *
     * @throws IllegalStateException if this process closed the queue
     */
    public String toHandle() {
        return core.handle().toString();
    }

    /** Says this process is done with the queue; see {@link Queue#close()}. Python's {@code close()}. */
    @Override
    public void close() throws IOException {
        core.close();
    }

    QueueCore<T> core() {
        return core;
    }

    @Override
    public String toString() {
        return "SimpleQueue[" + core.type.toCanonical() + (core.isClosed() ? ", closed]" : "]");
    }
}

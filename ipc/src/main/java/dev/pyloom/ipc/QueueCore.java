package dev.pyloom.ipc;

import java.io.IOException;
import java.util.Objects;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;

/**
 * What {@link Queue}, {@link JoinableQueue} and {@link SimpleQueue} share: the element type, the
 * backend (local or remote), encoding, and being closed in this process.
 */
final class QueueCore<T> {

    static final String QUEUE = "queue";
    static final String JOINABLE = "joinable";
    static final String SIMPLE = "simple";

    final QueueBackend backend;
    final JavaType type;
    final String flavor;
    private volatile boolean closed;

    private QueueCore(QueueBackend backend, JavaType type, String flavor) {
        this.backend = backend;
        this.type = type;
        this.flavor = flavor;
    }

    /** A new queue owned by this process. */
    static <T> QueueCore<T> local(JavaType type, int maxsize, String flavor) {
        return new QueueCore<>(new LocalQueue(Math.max(0, maxsize), flavor.equals(JOINABLE), flavor), type, flavor);
    }

    /**
     * A queue owned by another process, reached through its handle.
     *
     * @throws MalformedMessageException if the handle is not a queue handle of an acceptable flavor
     */
    static <T> QueueCore<T> remote(JsonNode handle, JavaType type, String... acceptedFlavors) throws IOException {
        if (handle == null || !"queue".equals(handle.path("pyloom").asString(""))) {
            throw new MalformedMessageException("not a pyloom queue handle: " + handle);
        }
        String flavor = handle.path("flavor").asString("");
        if (!java.util.List.of(acceptedFlavors).contains(flavor)) {
            throw new MalformedMessageException("this handle is for a " + flavor + " queue, not a "
                    + String.join(" or ", acceptedFlavors) + " queue");
        }
        RemoteQueue remote = new RemoteQueue(handle);
        QueueCore<T> core = new QueueCore<>(remote, type, flavor);
        // A queue dropped without close() still lets go of its connections (and the owner's
        // sessions) once it is garbage; the action holds the RemoteQueue, never the queue object.
        CLEANER.register(core, remote::release);
        return core;
    }

    private static final java.lang.ref.Cleaner CLEANER = java.lang.ref.Cleaner.create();

    void put(T item, long nanos) throws IOException {
        checkOpen();
        backend.put(Codec.encode(item), nanos);
    }

    T get(long nanos) throws IOException {
        checkOpen();
        byte[] item = backend.get(nanos);
        return Codec.decode(item, 0, item.length, type);
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("queue is closed");
        }
    }

    /** The handle another process attaches with; refused once this process closed the queue. */
    tools.jackson.databind.node.ObjectNode handle() {
        checkOpen();
        return backend.handle();
    }

    void close() throws IOException {
        if (!closed) {
            closed = true;
            backend.close();
        }
    }

    boolean isClosed() {
        return closed;
    }

    static JsonNode parseHandle(String handle) throws MalformedMessageException {
        try {
            return Codec.MAPPER.readTree(Objects.requireNonNull(handle, "handle"));
        } catch (tools.jackson.core.JacksonException e) {
            throw new MalformedMessageException("not a queue handle: " + e.getOriginalMessage(), e);
        }
    }
}

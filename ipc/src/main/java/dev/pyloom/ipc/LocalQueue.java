package dev.pyloom.ipc;

import dev.pyloom.ipc.internal.FrameChannel;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.locks.ReentrantLock;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The queue in the process that created it: items kept in a {@link QueueStore}, other processes served by {@link QueueSession}s. */
final class LocalQueue implements QueueBackend {

    private final QueueStore store;
    private final String flavor;
    private final ReentrantLock exporting = new ReentrantLock();
    private ObjectNode handle; // registered with the exporter on first export; guarded by exporting

    LocalQueue(int maxsize, boolean joinable, String flavor) {
        this.store = new QueueStore(maxsize, joinable);
        this.flavor = flavor;
    }

    @Override
    public void put(byte[] item, long nanos) throws IOException {
        try {
            if (!store.put(item, nanos)) {
                throw new QueueFullException();
            }
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    @Override
    public byte[] get(long nanos) throws IOException {
        byte[] item;
        try {
            item = store.takeOne(nanos);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
        if (item == null) {
            throw new QueueEmptyException();
        }
        return item;
    }

    @Override
    public int qsize() {
        return store.size();
    }

    @Override
    public int maxsize() {
        return store.maxsize;
    }

    @Override
    public void taskDone() {
        store.taskDone();
    }

    @Override
    public void join() throws IOException {
        try {
            store.awaitAllDone(QueueStore.FOREVER);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    /*
     * Registered once, lazily: a queue that never leaves this process costs the exporter
     * nothing. Every process that attaches gets a session of its own on the same store.
     */
    @Override
    public ObjectNode handle() {
        exporting.lock();
        try {
            return registeredHandle().deepCopy();
        } finally {
            exporting.unlock();
        }
    }

    private ObjectNode registeredHandle() {
        if (handle == null) {
            handle = Exporter.get().register("queue", new Exporter.Target() {
                @Override
                public void attach(FrameChannel channel, JsonNode request, Exporter.Confirmation confirm)
                        throws IOException {
                    confirm.send();
                    QueueSession.serve(store, channel);
                }

                @Override
                public boolean once() {
                    return false;
                }
            }).put("flavor", flavor).put("maxsize", store.maxsize);
        }
        return handle;
    }

    @Override
    public void close() {
        // The items stay: other processes may still use the queue, and this process serves them.
    }

    static InterruptedIOException interrupted(InterruptedException e) {
        Thread.currentThread().interrupt();
        InterruptedIOException io = new InterruptedIOException("interrupted while waiting on a queue");
        io.initCause(e);
        return io;
    }
}

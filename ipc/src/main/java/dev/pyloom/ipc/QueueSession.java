package dev.pyloom.ipc;

import dev.pyloom.ipc.internal.Control;
import dev.pyloom.ipc.internal.Frame;
import dev.pyloom.ipc.internal.FrameChannel;
import dev.pyloom.ipc.internal.FrameKind;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Serves one attached connection from another process on the queue's {@link QueueStore}, in the
 * process that owns the queue; one virtual thread per connection, requests handled in order.
 *
 * <pre>
 *   request (from {@link RemoteQueue})              reply
 *   MESSAGE item                                    none: an unbounded put, pipelined
 *   put {timeout} + MESSAGE item                    ok | full
 *   sync                                            synced (every earlier put is in the store)
 *   get {max, timeout}                              items {count} + count MESSAGE frames | empty
 *   qsize                                           qsize {value}
 *   task_done                                       ok | error {reason}
 *   join                                            ok, once every put item is done
 *   return {count} + count MESSAGE frames           none: unused items back to the front
 * </pre>
 *
 * Timeouts are nanoseconds, -1 for none. A batch of items that cannot be written (the consumer
 * went away) goes back to the front of the queue: a consumer that dies while waiting loses
 * nothing.
 */
final class QueueSession {

    private static final System.Logger LOG = System.getLogger("dev.pyloom.ipc");

    /** The most pipelined puts moved into the store under one lock. */
    private static final int MAX_PUT_BATCH = 1024;

    private final QueueStore store;
    private final FrameChannel channel;

    private QueueSession(QueueStore store, FrameChannel channel) {
        this.store = store;
        this.channel = channel;
    }

    static void serve(QueueStore store, FrameChannel channel) {
        QueueSession session = new QueueSession(store, channel);
        Thread.ofVirtual().name("pyloom-ipc-queue-session").start(session::run);
    }

    /** What one frame of a request turned out to be. */
    private record Request(byte[] item, JsonNode control) {}

    private void run() {
        try {
            Request request = nextRequest();
            for (;;) {
                if (request.item() == null) {
                    handle(request.control());
                    request = nextRequest();
                    continue;
                }
                // Pipelined puts: take every item already buffered into the store at once.
                List<byte[]> batch = new ArrayList<>();
                batch.add(request.item());
                request = null;
                while (batch.size() < MAX_PUT_BATCH && channel.frameBuffered()) {
                    Request next = nextRequest();
                    if (next.item() == null) {
                        request = next;
                        break;
                    }
                    batch.add(next.item());
                }
                store.putAll(batch);
                if (request == null) {
                    request = nextRequest();
                }
            }
        } catch (java.io.EOFException done) {
            // the other process closed its queue
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, () -> "queue session ended: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                channel.close();
            } catch (IOException ignored) {
                // ending anyway
            }
        }
    }

    private Request nextRequest() throws IOException {
        return channel.read((kind, array, offset, length) -> switch (kind) {
            case MESSAGE -> new Request(Arrays.copyOfRange(array, offset, offset + length), null);
            case CONTROL -> new Request(null, Control.parse(channel, array, offset, length));
            default -> throw channel.failed(new MalformedMessageException("unexpected " + kind + " frame on a queue connection"));
        });
    }

    private byte[] nextItem() throws IOException {
        Request request = nextRequest();
        if (request.item() == null) {
            throw channel.failed(new MalformedMessageException("expected a queue item, got " + request.control()));
        }
        return request.item();
    }

    private void handle(JsonNode request) throws IOException, InterruptedException {
        switch (Control.opOf(request)) {
            case "put" -> {
                long timeout = request.path("timeout").asLong(QueueStore.FOREVER);
                byte[] item = nextItem();
                Control.send(channel, Control.op(store.put(item, timeout) ? "ok" : "full"));
            }
            case "sync" -> Control.send(channel, Control.op("synced"));
            case "get" -> serveGet(request);
            case "qsize" -> Control.send(channel, Control.op("qsize").put("value", store.size()));
            case "task_done" -> {
                try {
                    store.taskDone();
                    Control.send(channel, Control.op("ok"));
                } catch (IllegalArgumentException e) {
                    Control.send(channel, Control.op("error").put("reason", e.getMessage()));
                }
            }
            case "join" -> {
                store.awaitAllDone();
                Control.send(channel, Control.op("ok"));
            }
            case "return" -> {
                int count = request.path("count").asInt(0);
                List<byte[]> items = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    items.add(nextItem());
                }
                store.returnToFront(items);
            }
            default -> throw channel.failed(new MalformedMessageException("unknown queue request: " + request));
        }
    }

    private void serveGet(JsonNode request) throws IOException, InterruptedException {
        int max = Math.max(1, Math.min(request.path("max").asInt(1), RemoteQueue.MAX_BATCH));
        long timeout = request.path("timeout").asLong(QueueStore.FOREVER);
        List<byte[]> items = new ArrayList<>(max);
        if (store.take(items, max, timeout) == 0) {
            Control.send(channel, Control.op("empty"));
            return;
        }
        List<Frame> reply = new ArrayList<>(items.size() + 1);
        reply.add(Control.frame(Control.op("items").put("count", items.size())));
        for (byte[] item : items) {
            reply.add(new Frame(FrameKind.MESSAGE, item));
        }
        try {
            channel.writeAll(reply);
        } catch (IOException consumerGone) {
            store.returnToFront(items);
            throw consumerGone;
        }
    }
}

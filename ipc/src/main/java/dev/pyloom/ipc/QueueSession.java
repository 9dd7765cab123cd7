package dev.pyloom.ipc;

import dev.pyloom.ipc.internal.Control;
import dev.pyloom.ipc.internal.Frame;
import dev.pyloom.ipc.internal.FrameChannel;
import dev.pyloom.ipc.internal.FrameKind;
import dev.pyloom.ipc.internal.SocketThreads;
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
 *   sync                                            synced (every earlier request is done)
 *   get {timeout}                                   items {count: 1} + one MESSAGE frame | empty
 *   qsize                                           qsize {value}
 *   task_done                                       ok | error {reason}
 *   join {timeout}                                  ok once every item put is done | pending
 * </pre>
 *
 * Timeouts are nanoseconds, -1 for none. An item that cannot be written (the consumer went
 * away) goes back to the front of the queue: a consumer that dies while waiting loses nothing.
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
        SocketThreads.start("pyloom-ipc-queue-session", session::run);
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
                long timeout = request.path("timeout").asLong(QueueStore.FOREVER);
                Control.send(channel, Control.op(store.awaitAllDone(timeout) ? "ok" : "pending"));
            }
            default -> throw channel.failed(new MalformedMessageException("unknown queue request: " + request));
        }
    }

    private void serveGet(JsonNode request) throws IOException, InterruptedException {
        long timeout = request.path("timeout").asLong(QueueStore.FOREVER);
        byte[] item = store.takeOne(timeout);
        if (item == null) {
            Control.send(channel, Control.op("empty"));
            return;
        }
        try {
            channel.writeAll(List.of(Control.frame(Control.op("items").put("count", 1)), new Frame(FrameKind.MESSAGE, item)));
        } catch (IOException consumerGone) {
            store.returnToFront(List.of(item));
            throw consumerGone;
        }
    }
}

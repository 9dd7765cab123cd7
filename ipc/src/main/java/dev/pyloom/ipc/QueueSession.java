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
import java.util.concurrent.locks.ReentrantLock;
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
 *   get {timeout}                                   items {count} + count MESSAGE frames | empty,
 *                                                   after waiting {} if it has to wait
 *   took                                            none: the oldest item sent was taken
 *   given_back {count, answer}                      given_back if answer: what was not taken is back
 *   qsize                                           qsize {value}
 *   task_done                                       ok | error {reason}
 *   join {timeout}                                  ok once every item put is done | pending
 *
 *   unasked (to the consumer)
 *   recall                                          the consumer sends given_back {count}
 * </pre>
 *
 * Timeouts are nanoseconds, -1 for none. Every item sent is acknowledged with {@code took} when
 * the consumer takes it, and stays the store's until then: when the connection ends, what was
 * sent and not acknowledged goes back to the front of the queue, so a consumer that dies or
 * closes loses nothing it had not taken. A get may be answered with several items on loan (see
 * {@link QueueStore}); a recall is written by a thread of its own, so that the taker who caused
 * it never waits for this consumer's socket, and after it this session sends nothing more on
 * loan until the consumer has given back.
 */
final class QueueSession implements QueueStore.Borrower {

    private static final System.Logger LOG = System.getLogger("dev.pyloom.ipc");

    /** The most pipelined puts moved into the store under one lock. */
    private static final int MAX_PUT_BATCH = 1024;

    private final QueueStore store;
    private final FrameChannel channel;

    /* Orders what is written to the consumer: no loan may follow a recall on the wire. */
    private final ReentrantLock sending = new ReentrantLock();
    private boolean recallSent; // since the last given_back; guarded by sending

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
            store.consumerGone(this);
            try {
                channel.close();
            } catch (IOException ignored) {
                // ending anyway
            }
        }
    }

    /**
     * Writes the recall on a thread of its own. If no thread can be started, the consumer's
     * connection is closed instead: its session ends and the loan comes back, rather than the
     * takers waiting for a recall never sent.
     */
    @Override
    public void recall() {
        try {
            SocketThreads.start("pyloom-ipc-queue-recall", this::sendRecall);
        } catch (OutOfMemoryError | RuntimeException noThread) {
            LOG.log(Level.WARNING, () -> "cannot recall a queue consumer's loan, closing its connection: " + noThread);
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private void sendRecall() {
        sending.lock();
        try {
            recallSent = true;
            Control.send(channel, Control.op("recall"));
        } catch (IOException consumerGone) {
            // its connection ends, and the loan comes back with it
        } finally {
            sending.unlock();
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
            case "took" -> {
                try {
                    store.took(this);
                } catch (IllegalStateException disagreement) {
                    throw channel.failed(new MalformedMessageException("queue consumer " + disagreement.getMessage()));
                }
            }
            case "given_back" -> {
                sending.lock();
                try {
                    store.givenBack(this, request.path("count").asInt(-1));
                    recallSent = false;
                    if (request.path("answer").asBoolean(false)) {
                        Control.send(channel, Control.op("given_back"));
                    }
                } catch (IllegalStateException disagreement) {
                    throw channel.failed(new MalformedMessageException("queue consumer " + disagreement.getMessage()));
                } finally {
                    sending.unlock();
                }
            }
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
        QueueStore.Delivery delivery = store.takeFor(this, 0);
        if (delivery == null && timeout != 0) {
            // Every frame before this request has been read: the consumer may count on it.
            Control.send(channel, Control.op("waiting"));
            delivery = store.takeFor(this, timeout);
        }
        if (delivery == null) {
            Control.send(channel, Control.op("empty"));
            return;
        }
        List<byte[]> items = delivery.items();
        sending.lock();
        try {
            if (delivery.lent() && recallSent) {
                store.unlend(this, items.size());
                Control.send(channel, Control.op("empty"));
                return;
            }
            List<Frame> frames = new ArrayList<>(1 + items.size());
            frames.add(Control.frame(Control.op("items").put("count", items.size())));
            for (byte[] item : items) {
                frames.add(new Frame(FrameKind.MESSAGE, item));
            }
            channel.writeAll(frames);
        } finally {
            sending.unlock();
        }
    }
}

package dev.pyloom.ipc;

import dev.pyloom.ipc.internal.Control;
import dev.pyloom.ipc.internal.ExitSequence;
import dev.pyloom.ipc.internal.Frame;
import dev.pyloom.ipc.internal.FrameChannel;
import dev.pyloom.ipc.internal.FrameKind;
import dev.pyloom.ipc.internal.SocketThreads;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The gets of a queue owned by another process: requests to the owner's {@link QueueSession},
 * and the loans it makes to a process that is the queue's only consumer (see {@link QueueStore}).
 *
 * <pre>
 *   getter                          reader thread                        owner's session
 *   nothing here: get {timeout} ---------------------------------------&gt;  waits for an item
 *   waits for the reply             &lt;--- items {count} + items --------
 *   takes one: took ---------------------------------------------------&gt;  it is taken
 *                                   &lt;--- recall ----------------------- (someone else asks)
 *                                   given_back {count} ----------------&gt;  back to the front
 * </pre>
 *
 * <p>One thread reads the connection while it is open, so that a recall is answered at once,
 * whatever this process's threads are doing. Getters only write: a request when nothing is
 * here and no request is on its way, and, before an item is handed out, its {@code took}. The
 * acknowledgement comes first so that the owner knows exactly what a consumer that closes or
 * dies had taken: everything sent and not acknowledged goes back to the front of the queue.
 *
 * <p>A request asks the owner to wait at most {@link RemoteQueue#SLICE_NANOS}; its sender waits
 * for the reply whatever happens (an interrupt is kept for later), so an interrupted get leaves
 * no request behind and loses no item. Other getters wait for that reply, or give up when their
 * own time runs out or they are interrupted.
 */
final class RemoteConsumer {

    private static final byte[] TOOK = Control.frame(Control.op("took")).payload();
    private static final byte[] SYNC = Control.frame(Control.op("sync")).payload();

    /**
     * How long close() waits, at most, for an owner's answers (a get's reply, due within a slice;
     * the give-back's confirmation) before it lets the connection's end give the items back.
     */
    static final long CLOSE_PATIENCE_NANOS = 1_000_000_000;

    /** Consumers with a connection: closed at JVM exit, after the feeders' flush, so that no reader holds the exit up. */
    private static final Set<RemoteConsumer> CONNECTED = ConcurrentHashMap.newKeySet();

    static {
        ExitSequence.beforeSocketsClose(() -> List.copyOf(CONNECTED).forEach(RemoteConsumer::release));
    }

    private final ObjectNode handle;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    /* All guarded by lock; link is volatile so that release() can close it without the lock, closed so that close() can set it. */
    private volatile Link link;                                 // the connection, once attached
    private final ArrayDeque<byte[]> held = new ArrayDeque<>(); // delivered, not yet taken
    private boolean asking;                                     // a get is on its way, its reply not yet in
    private long replies;                                       // replies to gets received
    private long answers;                                       // given_back answers received
    private long syncs;                                         // synced answers received
    private long noticed;                                       // the last get whose "waiting" notice came
    private boolean unsynced;                                   // a took was written since the last sync
    private volatile boolean closed;                            // set by close() before it has the lock
    private boolean attaching;                                  // a getter is connecting, the lock let go

    /** One connection to the owner, and why its reader stopped. */
    private static final class Link {
        final FrameChannel channel;
        IOException failure; // guarded by the consumer's lock

        Link(FrameChannel channel) {
            this.channel = channel;
        }
    }

    RemoteConsumer(ObjectNode handle) {
        this.handle = handle;
    }

    /** Takes the oldest item, waiting up to {@code nanos} (or {@link QueueStore#FOREVER}); see {@link QueueBackend#get}. */
    byte[] get(long nanos) throws IOException {
        long deadline = System.nanoTime() + nanos;
        boolean asked = false;
        RemoteQueue.lockInterruptibly(lock);
        try {
            for (;;) {
                byte[] item = takeDelivered();
                if (item != null) {
                    return item;
                }
                if (asking) {
                    awaitOthersReply(nanos, deadline);
                    continue;
                }
                if (asked && nanos != QueueStore.FOREVER && deadline - System.nanoTime() <= 0) {
                    throw new QueueEmptyException();
                }
                RemoteQueue.checkInterrupt();
                if (closed) {
                    throw new IOException("queue is closed");
                }
                Link current = link;
                if (current == null || current.failure != null) {
                    if (attaching) {
                        awaitOthersReply(nanos, deadline); // another getter is connecting
                    } else {
                        attach();
                    }
                    continue;
                }
                send(current, Control.frame(Control.op("get").put("timeout", RemoteQueue.slice(nanos, deadline))).payload());
                asking = true;
                asked = true;
                long ticket = replies;
                while (replies == ticket && current.failure == null) {
                    changed.awaitUninterruptibly();
                }
                if (current.failure != null) {
                    throw lost(current);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** The next item delivered here, its {@code took} written first; null if none. Lock held. */
    private byte[] takeDelivered() throws IOException {
        if (held.isEmpty()) {
            return null;
        }
        send(link, TOOK);
        unsynced = true;
        return held.removeFirst();
    }

    /**
     * Makes sure the owner has read every {@code took} written so far, so that what it counts
     * (a {@code qsize()}, a {@code taskDone()} that another connection carries) reflects this
     * process's gets: a round trip, only when items were taken since the last one. While a get
     * is on its way (its request follows every {@code took}), its reply, or the owner's notice
     * that it waits for an item, says the same without a request of its own.
     */
    void syncTaken() throws IOException {
        RemoteQueue.lockInterruptibly(lock);
        try {
            Link current = link;
            if (!unsynced || current == null || current.failure != null) {
                return;
            }
            unsynced = false; // a took written while this waits sets it again
            if (asking) {
                long replied = replies;
                while (replies == replied && noticed <= replied && current.failure == null) {
                    changed.awaitUninterruptibly();
                }
            } else {
                long answered = syncs;
                send(current, SYNC);
                while (syncs == answered && current.failure == null) {
                    changed.awaitUninterruptibly();
                }
            }
            if (current.failure != null) {
                throw lost(current);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes a getter's control message. Interrupted before any of it went out, the connection
     * is as it was and the interrupt is thrown; any other failure ends the connection (and with
     * it the loan, which the owner takes back). Lock held.
     */
    private void send(Link current, byte[] message) throws IOException {
        try {
            current.channel.write(FrameKind.CONTROL, message, 0, message.length);
        } catch (InterruptedIOException e) {
            if (!current.channel.isBroken()) {
                throw e;
            }
            fail(current, e);
            throw lost(current);
        } catch (IOException e) {
            fail(current, e);
            throw lost(current);
        }
    }

    /** Waits while another getter's request is on its way. Lock held. */
    private void awaitOthersReply(long nanos, long deadline) throws InterruptedIOException, QueueEmptyException {
        try {
            if (nanos == QueueStore.FOREVER) {
                changed.await();
                return;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new QueueEmptyException();
            }
            changed.awaitNanos(left);
        } catch (InterruptedException e) {
            throw LocalQueue.interrupted(e);
        }
    }

    /**
     * Connects to the owner and starts the reader. Lock held on entry and exit, but not while
     * connecting (a handshake can take seconds): other getters wait for it with their own
     * timeouts, and close() does not wait for it.
     */
    private void attach() throws IOException {
        attaching = true;
        lock.unlock();
        FrameChannel channel;
        try {
            channel = Exporter.attach(handle, "queue");
        } finally {
            lock.lock();
            attaching = false;
            changed.signalAll();
        }
        if (closed) {
            closeQuietly(channel);
            throw new IOException("queue is closed");
        }
        Link current = new Link(channel);
        link = current;
        asking = false;
        CONNECTED.add(this);
        SocketThreads.start("pyloom-ipc-queue-consumer", () -> read(current));
    }

    // ------------------------------------------------------------------ the reader thread

    private void read(Link from) {
        FrameChannel channel = from.channel;
        try {
            for (;;) {
                JsonNode message = receive(channel);
                switch (Control.opOf(message)) {
                    case "items" -> deliver(message, from);
                    case "empty" -> replied(List.of());
                    case "recall" -> giveBack(from, false);
                    case "waiting" -> {
                        lock.lock();
                        try {
                            noticed = replies + 1; // the get on its way: one at a time
                            changed.signalAll();
                        } finally {
                            lock.unlock();
                        }
                    }
                    case "given_back", "synced" -> {
                        lock.lock();
                        try {
                            if (Control.opOf(message).equals("synced")) {
                                syncs++;
                            } else {
                                answers++;
                            }
                            changed.signalAll();
                        } finally {
                            lock.unlock();
                        }
                    }
                    default -> throw channel.failed(new MalformedMessageException("unexpected message from the queue's owner: " + message));
                }
            }
        } catch (IOException e) {
            fail(from, e);
        } catch (RuntimeException e) {
            fail(from, new IOException("reading from the queue's owner failed: " + e, e));
        }
    }

    private void deliver(JsonNode message, Link from) throws IOException {
        FrameChannel channel = from.channel;
        int count = message.path("count").asInt(-1);
        if (count < 1 || count > QueueStore.LOAN_ITEMS) {
            throw channel.failed(new MalformedMessageException("a delivery of " + count + " items from the queue's owner"));
        }
        List<byte[]> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Frame item = channel.readOwned();
            if (item.kind() != FrameKind.MESSAGE) {
                throw channel.failed(new MalformedMessageException("expected a queue item, got " + item.kind()));
            }
            items.add(item.payload());
        }
        replied(items);
    }

    private void replied(List<byte[]> items) {
        lock.lock();
        try {
            held.addAll(items);
            asking = false;
            replies++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Gives back what is here and not taken: at once for a recall, or when this process closes
     * the queue ({@code answer}: the owner confirms, so that the items are back before close()
     * returns). Lock taken here, so no getter is between taking an item and acknowledging it.
     */
    private void giveBack(Link from, boolean answer) throws IOException {
        lock.lock();
        try {
            int count = held.size();
            held.clear();
            Control.send(from.channel, Control.op("given_back").put("count", count).put("answer", answer));
        } finally {
            lock.unlock();
        }
    }

    private static JsonNode receive(FrameChannel channel) throws IOException {
        Frame frame = channel.readOwned();
        if (frame.kind() != FrameKind.CONTROL) {
            throw channel.failed(new MalformedMessageException("expected a message from the queue's owner, got " + frame.kind()));
        }
        return Control.parse(channel, frame.payload(), 0, frame.payload().length);
    }

    /** The connection stopped: what is here and not taken is the owner's again (it takes it back as the connection ends). */
    private void fail(Link from, IOException why) {
        lock.lock();
        try {
            if (from.failure == null) {
                from.failure = why;
            }
            if (link == from) {
                held.clear();
                asking = false;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        closeQuietly(from.channel);
    }

    private static IOException lost(Link link) {
        IOException why = link.failure;
        return new IOException("lost the connection to the queue's owner: " + why.getMessage(), why);
    }

    // ------------------------------------------------------------------ closing

    /**
     * Waits for the reply to a get on its way, if any (the owner answers within one slice), gives
     * back what is here and not taken and waits until the owner has it and has read every
     * {@code took}, then closes the connection. All of it lasts at most
     * {@link #CLOSE_PATIENCE_NANOS}, and an interrupt ends it: an owner that does not answer
     * (stopped, say) takes back what was not taken as the connection ends, when it runs again.
     * A get in progress fails, or returns an item that its reply brought.
     */
    void close() {
        closed = true; // no get sends a request, or connects again, from now on
        long deadline = System.nanoTime() + CLOSE_PATIENCE_NANOS;
        // A getter writing its took to an owner that reads nothing holds the lock for as long as
        // the owner's socket is full, and so would close() itself writing its give-back: at the
        // deadline the connection is closed under them, which ends their writes.
        Thread backstop = Thread.ofVirtual().name("pyloom-ipc-queue-close").start(() -> {
            try {
                Thread.sleep(java.time.Duration.ofNanos(CLOSE_PATIENCE_NANOS));
                release();
            } catch (InterruptedException closedInTime) {
                // close() is done
            }
        });
        try {
            closeInTime(deadline);
        } finally {
            backstop.interrupt();
            release();
        }
    }

    private void closeInTime(long deadline) {
        try {
            lock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            Link current = link;
            while (current != null && asking && current.failure == null) {
                if (!awaitUntil(deadline)) { // no get starts now: closed
                    return;
                }
            }
            if (current != null && current.failure == null && (unsynced || !held.isEmpty())) {
                long answered = answers; // the owner's answer also says it has read every took
                giveBack(current, true);
                while (answers == answered && current.failure == null) {
                    if (!awaitUntil(deadline)) {
                        return;
                    }
                }
            }
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            // the connection ends below, and the owner takes back what was lent
        } finally {
            lock.unlock();
        }
    }

    /** Waits for a change until {@code deadline}; false once it has passed. Lock held. */
    private boolean awaitUntil(long deadline) throws InterruptedException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return false;
        }
        changed.awaitNanos(left);
        return true;
    }

    /** Closes the connection without waiting for anything; also what the cleaner does for a queue dropped without close(). */
    void release() {
        CONNECTED.remove(this);
        Link current = link;
        if (current != null) {
            closeQuietly(current.channel);
        }
    }

    private static void closeQuietly(FrameChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}

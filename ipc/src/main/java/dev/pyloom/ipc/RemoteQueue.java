package dev.pyloom.ipc;

import dev.pyloom.ipc.internal.Control;
import dev.pyloom.ipc.internal.Frame;
import dev.pyloom.ipc.internal.FrameChannel;
import dev.pyloom.ipc.internal.FrameKind;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A queue in a process other than its owner's: every operation is a request to the owner, over
 * connections attached through the queue's handle (see {@link QueueSession} for the requests).
 *
 * <pre>
 *   this process                               owner process
 *   put (unbounded) --- MESSAGE frames ------&gt;  session: store.put      (no reply: pipelined)
 *   put (bounded)   --- put + item ----------&gt;  session: ok | full
 *   get             --- get {max} -----------&gt;  session: items + frames | empty
 *   qsize, taskDone --- control lane --------&gt;  session
 *   join            --- a lane of its own ---&gt;  session: ok when all done
 * </pre>
 *
 * <p>Puts to an unbounded queue go through a feeder thread (see below), so a producer is not
 * held up by a system call per item.
 *
 * <p>Three lanes (connections), opened on first use: puts, gets, control. Separate lanes keep a
 * get that waits for items from holding up this process's puts or task_done calls; a join gets
 * a connection of its own for the same reason. Before qsize, empty, full or join, the put lane
 * is synced, so those see this process's own earlier puts (which Python's, with its background
 * feeder thread, does not promise).
 *
 * <p>Gets come in batches when the consumer is fast: if the previous batch was used up within
 * {@link #FAST_CONSUMER_NANOS}, the next request asks for twice as many (up to
 * {@link #MAX_BATCH}); otherwise for one. A slow consumer (a worker doing real work per item)
 * thus takes one item at a time and leaves the rest to other consumers, while a fast one is not
 * limited by round trips. Items fetched but unused go back to the front of the queue when the
 * queue is closed, or when the JVM exits normally.
 */
final class RemoteQueue implements QueueBackend {

    /** The most items one get request may bring back. */
    static final int MAX_BATCH = 256;

    /** A batch used up faster than this doubles the next one. */
    static final long FAST_CONSUMER_NANOS = 1_000_000;

    /** How many bytes of puts may wait for the feeder before put() waits too. */
    static final long OUTBOX_LIMIT_BYTES = 4 << 20;

    private static final Set<RemoteQueue> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(RemoteQueue::closeAll, "pyloom-ipc-queue-return"));
    }

    private final ObjectNode handle;
    private final int maxsize;

    private final Lane puts = new Lane();
    private final Lane gets = new Lane();
    private final Lane control = new Lane();
    private final ArrayDeque<byte[]> fetched = new ArrayDeque<>(); // guarded by gets.lock
    private int batch = 1;                                         // guarded by gets.lock
    private long lastFetch;                                        // guarded by gets.lock
    private volatile boolean closed;

    /*
     * The feeder, for unbounded queues: put() encodes the item, appends it to the outbox and
     * returns; one virtual thread writes whatever has accumulated, many items per system call.
     * Python's Queue has the same background feeder thread. Unlike Python's, an item that cannot
     * be encoded fails in put() itself, and close() (or normal exit) waits until the outbox is
     * written.
     *
     * outbox: empty -> non-empty (put) -> taken whole by the feeder (writing = true) -> written
     * (writing = false). A write failure is kept in feedFailure and thrown by the next put.
     */
    private final ReentrantLock feedLock = new ReentrantLock();
    private final java.util.concurrent.locks.Condition work = feedLock.newCondition();
    private final java.util.concurrent.locks.Condition fed = feedLock.newCondition();
    private List<Frame> outbox = new ArrayList<>(); // guarded by feedLock
    private long outboxBytes;                       // guarded by feedLock
    private boolean writing;                        // guarded by feedLock
    private boolean feederStarted;                  // guarded by feedLock
    private IOException feedFailure;                // guarded by feedLock

    /** One connection to the owner, attached on first use, used by one request at a time. */
    private final class Lane {
        final ReentrantLock lock = new ReentrantLock();
        private volatile FrameChannel channel; // written under lock; read by close() without it

        FrameChannel channel() throws IOException {
            if (closed) {
                throw new IOException("queue is closed");
            }
            if (channel == null || !channel.isOpen()) {
                channel = Exporter.attach(handle, "queue");
            }
            return channel;
        }

        boolean isAttached() {
            return channel != null && channel.isOpen();
        }

        void lock() throws InterruptedIOException {
            try {
                lock.lockInterruptibly();
            } catch (InterruptedException e) {
                throw LocalQueue.interrupted(e);
            }
        }

        /** Closes the connection without waiting for a request in progress, which then fails. */
        void close() {
            FrameChannel open = channel;
            if (open != null) {
                try {
                    open.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }

    RemoteQueue(JsonNode handle) {
        this.handle = (ObjectNode) handle.deepCopy();
        this.maxsize = handle.path("maxsize").asInt(0);
        OPEN.add(this);
    }

    @Override
    public void put(byte[] item, long nanos) throws IOException {
        if (maxsize == 0) {
            feed(item);
            return;
        }
        puts.lock();
        try {
            FrameChannel channel = puts.channel();
            channel.writeAll(List.of(Control.frame(Control.op("put").put("timeout", nanos)),
                    new Frame(FrameKind.MESSAGE, item)));
            if ("full".equals(Control.opOf(Control.receive(channel)))) {
                throw new QueueFullException();
            }
        } finally {
            puts.lock.unlock();
        }
    }

    /** An unbounded put: into the outbox, for the feeder. */
    private void feed(byte[] item) throws IOException {
        lockInterruptibly(feedLock);
        try {
            throwIfFeedFailed();
            while (outboxBytes >= OUTBOX_LIMIT_BYTES) {
                awaitInterruptibly(fed);
                throwIfFeedFailed();
            }
            outbox.add(new Frame(FrameKind.MESSAGE, item));
            outboxBytes += item.length;
            if (!feederStarted) {
                feederStarted = true;
                Thread.ofVirtual().name("pyloom-ipc-queue-feeder").start(this::feedLoop);
            } else if (!writing) {
                work.signal();
            }
        } finally {
            feedLock.unlock();
        }
    }

    private void feedLoop() {
        for (;;) {
            List<Frame> batch;
            feedLock.lock();
            try {
                while (outbox.isEmpty()) {
                    if (closed) {
                        return;
                    }
                    work.awaitUninterruptibly();
                }
                batch = outbox;
                outbox = new ArrayList<>();
                outboxBytes = 0;
                writing = true;
                fed.signalAll(); // room again for puts waiting on a full outbox
            } finally {
                feedLock.unlock();
            }
            IOException failure = null;
            try {
                puts.lock.lock();
                try {
                    puts.channel().writeAll(batch);
                } finally {
                    puts.lock.unlock();
                }
            } catch (IOException e) {
                failure = e;
            }
            feedLock.lock();
            try {
                writing = false;
                if (failure != null) {
                    feedFailure = failure;
                }
                fed.signalAll();
                if (failure != null) {
                    return;
                }
            } finally {
                feedLock.unlock();
            }
        }
    }

    /** Waits until every put so far has been written to the owner. */
    private void flush() throws IOException {
        lockInterruptibly(feedLock);
        try {
            while ((!outbox.isEmpty() || writing) && feedFailure == null) {
                awaitInterruptibly(fed);
            }
            throwIfFeedFailed();
        } finally {
            feedLock.unlock();
        }
    }

    private void throwIfFeedFailed() throws IOException {
        if (feedFailure != null) {
            throw new IOException("earlier puts could not be delivered to the queue's owner: "
                    + feedFailure.getMessage(), feedFailure);
        }
    }

    private static void lockInterruptibly(ReentrantLock lock) throws InterruptedIOException {
        try {
            lock.lockInterruptibly();
        } catch (InterruptedException e) {
            throw LocalQueue.interrupted(e);
        }
    }

    private static void awaitInterruptibly(java.util.concurrent.locks.Condition condition) throws InterruptedIOException {
        try {
            condition.await();
        } catch (InterruptedException e) {
            throw LocalQueue.interrupted(e);
        }
    }

    @Override
    public byte[] get(long nanos) throws IOException {
        gets.lock();
        try {
            byte[] next = fetched.pollFirst();
            if (next != null) {
                return next;
            }
            long now = System.nanoTime();
            batch = now - lastFetch < FAST_CONSUMER_NANOS ? Math.min(2 * batch, MAX_BATCH) : 1;
            FrameChannel channel = gets.channel();
            Control.send(channel, Control.op("get").put("max", batch).put("timeout", nanos));
            JsonNode reply = Control.receive(channel);
            if ("empty".equals(Control.opOf(reply))) {
                throw new QueueEmptyException();
            }
            int count = reply.path("count").asInt(0);
            for (int i = 0; i < count; i++) {
                fetched.addLast(channel.read((kind, array, offset, length) -> {
                    if (kind != FrameKind.MESSAGE) {
                        throw channel.failed(new MalformedMessageException("expected a queue item, got " + kind));
                    }
                    return Arrays.copyOfRange(array, offset, offset + length);
                }));
            }
            lastFetch = System.nanoTime();
            return fetched.pollFirst();
        } finally {
            gets.lock.unlock();
        }
    }

    @Override
    public int qsize() throws IOException {
        syncPuts();
        JsonNode reply = request(Control.op("qsize"));
        return reply.path("value").asInt();
    }

    @Override
    public int maxsize() {
        return maxsize;
    }

    @Override
    public void taskDone() throws IOException {
        JsonNode reply = request(Control.op("task_done"));
        if ("error".equals(Control.opOf(reply))) {
            throw new IllegalArgumentException(reply.path("reason").asString("task_done() failed"));
        }
    }

    @Override
    public void join() throws IOException {
        syncPuts();
        try (FrameChannel own = Exporter.attach(handle, "queue")) {
            Control.send(own, Control.op("join"));
            Control.receive(own);
        }
    }

    /** Makes sure every put this process made has reached the owner's store. */
    private void syncPuts() throws IOException {
        flush();
        puts.lock();
        try {
            if (puts.isAttached()) {
                FrameChannel channel = puts.channel();
                Control.send(channel, Control.op("sync"));
                Control.receive(channel);
            }
        } finally {
            puts.lock.unlock();
        }
    }

    private JsonNode request(ObjectNode request) throws IOException {
        control.lock();
        try {
            FrameChannel channel = control.channel();
            Control.send(channel, request);
            return Control.receive(channel);
        } finally {
            control.lock.unlock();
        }
    }

    @Override
    public ObjectNode handle() {
        return handle.deepCopy();
    }

    /**
     * Returns unused fetched items to the owner, then closes every lane. Never waits for a get in
     * progress: that get fails, and the owner puts back any items it could not deliver.
     * Idempotent.
     */
    @Override
    public void close() throws IOException {
        if (!OPEN.remove(this)) {
            return;
        }
        try {
            flush(); // puts made before close() are delivered, as Python's join_thread() ensures
        } finally {
            closed = true;
            feedLock.lock();
            try {
                work.signalAll(); // the feeder, idle, sees `closed` and ends
            } finally {
                feedLock.unlock();
            }
        }
        if (gets.lock.tryLock()) {
            try {
                FrameChannel channel = gets.channel;
                if (!fetched.isEmpty() && channel != null && channel.isOpen()) {
                    List<Frame> frames = new ArrayList<>(fetched.size() + 1);
                    frames.add(Control.frame(Control.op("return").put("count", fetched.size())));
                    for (byte[] item : fetched) {
                        frames.add(new Frame(FrameKind.MESSAGE, item));
                    }
                    fetched.clear();
                    channel.writeAll(frames);
                }
            } finally {
                gets.lock.unlock();
            }
        }
        puts.close();
        gets.close();
        control.close();
    }

    private static void closeAll() {
        for (RemoteQueue queue : List.copyOf(OPEN)) {
            try {
                queue.close();
            } catch (IOException | RuntimeException ignored) {
                // the JVM is exiting; this was a best effort
            }
        }
    }
}

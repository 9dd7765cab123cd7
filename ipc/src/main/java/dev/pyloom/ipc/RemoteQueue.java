package dev.pyloom.ipc;

import dev.pyloom.ipc.internal.Control;
import dev.pyloom.ipc.internal.ExitSequence;
import dev.pyloom.ipc.internal.Frame;
import dev.pyloom.ipc.internal.FrameChannel;
import dev.pyloom.ipc.internal.FrameKind;
import dev.pyloom.ipc.internal.SocketThreads;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A queue in a process other than its owner's: every operation is a request to the owner, over
 * connections attached through the queue's handle (see {@link QueueSession} for the requests).
 *
 * <pre>
 *   this process                               owner process
 *   put (unbounded) --- feeder: MESSAGE ------&gt; session: store.put      (no reply: pipelined)
 *   put (bounded)   --- put + item ----------&gt;  session: ok | full
 *   task_done       --- after the puts ------&gt;  session: ok | error
 *   get             --- get ------------------&gt; session: item, or items on loan | empty
 *   qsize           --- control lane ---------&gt; session
 *   join            --- a lane of its own ----&gt; session: ok | pending
 * </pre>
 *
 * <p>Three lanes (connections), opened on first use: puts, gets ({@link RemoteConsumer}),
 * control, so that a get waiting for an item holds up none of this process's puts. A join gets
 * a connection of its own.
 *
 * <p>Puts to an unbounded queue go through a feeder thread: put() encodes the item (so one that
 * cannot be encoded fails right there), appends it to an outbox and returns; the feeder writes
 * whatever has accumulated, many items per system call. Python's Queue has the same background
 * feeder. {@code taskDone}, {@code qsize}, {@code empty}, {@code full} and {@code join} first
 * wait until this process's puts have reached the owner, so they always count them.
 *
 * <p>Waits that can be long (a get on an empty queue, a bounded put on a full one, a join) are
 * asked of the owner in slices of {@link #SLICE_NANOS}, and each reply is read by a helper
 * thread: an interrupt is honoured between slices, never in the middle of a reply, so an
 * interrupted get loses no item and leaves no request behind.
 *
 * <p>A get takes one item, or, while this process is the queue's only consumer, is lent every
 * item waiting, and takes the next ones without asking; the owner recalls the loan as soon as
 * anyone else asks for an item (see {@link QueueStore}).
 */
final class RemoteQueue implements QueueBackend {

    /** The longest the owner waits on one request; interrupts are honoured between slices. */
    static final long SLICE_NANOS = 100_000_000;

    /** How many bytes of puts may wait for the feeder before put() waits too. */
    static final long OUTBOX_LIMIT_BYTES = 4 << 20;

    /** Queues whose feeder has puts still to write: flushed at normal JVM exit. */
    private static final Set<RemoteQueue> FEEDING = ConcurrentHashMap.newKeySet();

    static {
        ExitSequence.beforeSocketsClose(RemoteQueue::flushAll);
    }

    private final ObjectNode handle;
    private final int maxsize;

    private final Lane puts = new Lane();
    private final RemoteConsumer gets;
    private final Lane control = new Lane();
    private volatile boolean closed;

    /*
     * The feeder. outbox: empty -> non-empty (put) -> taken whole by the feeder (writing) ->
     * written; the feeder thread exists only while there is something to write, so an idle
     * queue holds no thread. A write failure is kept in feedFailure and thrown by later puts.
     */
    private final ReentrantLock feedLock = new ReentrantLock();
    private final Condition fed = feedLock.newCondition();
    private List<Frame> outbox = new ArrayList<>(); // guarded by feedLock
    private long outboxBytes;                       // guarded by feedLock
    private boolean feeding;                        // a feeder thread is running; guarded by feedLock
    private IOException feedFailure;                // guarded by feedLock

    /** One connection to the owner, attached on first use, used by one request at a time. */
    private final class Lane {
        final ReentrantLock lock = new ReentrantLock();
        private volatile FrameChannel channel; // written under lock; read by close() without it

        FrameChannel channel() throws IOException {
            if (closed) {
                throw new IOException("queue is closed");
            }
            FrameChannel current = channel;
            if (current == null || !current.isOpen()) {
                current = Exporter.attach(handle, "queue");
                channel = current;
            }
            return current;
        }

        boolean isAttached() {
            FrameChannel current = channel;
            return current != null && current.isOpen();
        }

        void lock() throws InterruptedIOException {
            try {
                lock.lockInterruptibly();
            } catch (InterruptedException e) {
                throw LocalQueue.interrupted(e);
            }
        }

        /** Sends {@code request} (and any item frames after it) and returns the owner's reply. */
        JsonNode call(ObjectNode request, Frame... items) throws IOException {
            lock();
            try {
                FrameChannel ch = channel();
                List<Frame> frames = new ArrayList<>(1 + items.length);
                frames.add(Control.frame(request));
                frames.addAll(List.of(items));
                ch.writeAll(frames);
                return receive(ch);
            } finally {
                lock.unlock();
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
        this.gets = new RemoteConsumer(this.handle);
    }

    // ------------------------------------------------------------------ put

    @Override
    public void put(byte[] item, long nanos) throws IOException {
        requireFits(item);
        if (maxsize == 0) {
            feed(item);
            return;
        }
        Frame frame = new Frame(FrameKind.MESSAGE, item);
        long deadline = System.nanoTime() + nanos;
        for (;;) {
            checkInterrupt();
            JsonNode reply = puts.call(Control.op("put").put("timeout", slice(nanos, deadline)), frame);
            if ("ok".equals(Control.opOf(reply))) {
                return;
            }
            if (nanos != QueueStore.FOREVER && deadline - System.nanoTime() <= 0) {
                throw new QueueFullException();
            }
        }
    }

    /*
     * Checked here, before the item joins the outbox: the feeder writes many items at a time, and
     * one too large found only there would fail the others with it, after their put() returned.
     */
    private static void requireFits(byte[] item) throws FrameTooLargeException {
        if (item.length > FrameChannel.DEFAULT_MAX_FRAME_BYTES) {
            throw new FrameTooLargeException(item.length, FrameChannel.DEFAULT_MAX_FRAME_BYTES,
                    "an item of " + item.length + " bytes as JSON is over the limit of "
                    + FrameChannel.DEFAULT_MAX_FRAME_BYTES + " bytes for a message between processes: it was not"
                    + " put, and the queue goes on. Pass large data another way (a file, say) and put a"
                    + " reference to it, or split it into items under the limit");
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
            if (!feeding) {
                feeding = true;
                FEEDING.add(this);
                SocketThreads.start("pyloom-ipc-queue-feeder", this::feedLoop);
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
                if (outbox.isEmpty() || feedFailure != null) {
                    feeding = false;
                    FEEDING.remove(this);
                    fed.signalAll();
                    return;
                }
                batch = outbox;
                outbox = new ArrayList<>();
                outboxBytes = 0;
                fed.signalAll(); // room again for puts waiting on a full outbox
            } finally {
                feedLock.unlock();
            }
            try {
                puts.lock.lock();
                try {
                    puts.channel().writeAll(batch);
                } finally {
                    puts.lock.unlock();
                }
            } catch (IOException failure) {
                feedLock.lock();
                try {
                    feedFailure = failure;
                } finally {
                    feedLock.unlock();
                }
            }
        }
    }

    /** Waits until every put so far has been written to the owner. */
    private void flush() throws IOException {
        lockInterruptibly(feedLock);
        try {
            while (feeding) {
                awaitInterruptibly(fed);
            }
            throwIfFeedFailed();
        } finally {
            feedLock.unlock();
        }
    }

    /** Makes sure every put this process made is in the owner's store. */
    private void syncPuts() throws IOException {
        flush();
        if (puts.isAttached()) {
            puts.call(Control.op("sync"));
        }
    }

    private void throwIfFeedFailed() throws IOException {
        if (feedFailure != null) {
            throw new IOException("earlier puts could not be delivered to the queue's owner: "
                    + feedFailure.getMessage(), feedFailure);
        }
    }

    // ------------------------------------------------------------------ get

    @Override
    public byte[] get(long nanos) throws IOException {
        return gets.get(nanos);
    }

    // ------------------------------------------------------------------ the rest

    @Override
    public int qsize() throws IOException {
        gets.syncTaken();
        syncPuts();
        return control.call(Control.op("qsize")).path("value").asInt();
    }

    @Override
    public int maxsize() {
        return maxsize;
    }

    /* On the put lane, after the puts: a worker's put(followUp); taskDone() is counted in that order. */
    @Override
    public void taskDone() throws IOException {
        gets.syncTaken();
        flush();
        JsonNode reply = puts.call(Control.op("task_done"));
        if ("error".equals(Control.opOf(reply))) {
            throw new IllegalArgumentException(reply.path("reason").asString("task_done() failed"));
        }
    }

    @Override
    public void join() throws IOException {
        gets.syncTaken();
        syncPuts();
        try (FrameChannel own = Exporter.attach(handle, "queue")) {
            for (;;) {
                checkInterrupt();
                Control.send(own, Control.op("join").put("timeout", SLICE_NANOS));
                if ("ok".equals(Control.opOf(receive(own)))) {
                    return;
                }
            }
        }
    }

    @Override
    public ObjectNode handle() {
        return handle.deepCopy();
    }

    /**
     * Waits until this process's puts are written and what it has on loan is given back, then
     * closes every lane. Never waits for a get in progress: that get fails. Idempotent.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            flush(); // puts made before close() are delivered, as Python's join_thread() ensures
        } finally {
            gets.close(); // gives back what this process has on loan
            release();
        }
    }

    /** Closes the lanes; also what the cleaner does for a queue dropped without close(). */
    void release() {
        closed = true;
        puts.close();
        gets.release();
        control.close();
    }

    private static JsonNode receive(FrameChannel ch) throws IOException {
        Frame reply = ch.readOwnedUninterruptibly();
        if (reply.kind() != FrameKind.CONTROL) {
            throw ch.failed(new MalformedMessageException("expected a reply from the queue's owner, got " + reply.kind()));
        }
        return Control.parse(ch, reply.payload(), 0, reply.payload().length);
    }

    /** The owner's wait for this request: a slice, or what is left of the caller's timeout if less. */
    static long slice(long nanos, long deadline) {
        if (nanos == QueueStore.FOREVER) {
            return SLICE_NANOS;
        }
        return Math.max(0, Math.min(SLICE_NANOS, deadline - System.nanoTime()));
    }

    static void checkInterrupt() throws InterruptedIOException {
        if (Thread.interrupted()) {
            throw LocalQueue.interrupted(new InterruptedException());
        }
    }

    static void lockInterruptibly(ReentrantLock lock) throws InterruptedIOException {
        try {
            lock.lockInterruptibly();
        } catch (InterruptedException e) {
            throw LocalQueue.interrupted(e);
        }
    }

    private static void awaitInterruptibly(Condition condition) throws InterruptedIOException {
        try {
            condition.await();
        } catch (InterruptedException e) {
            throw LocalQueue.interrupted(e);
        }
    }

    private static void flushAll() {
        for (RemoteQueue queue : List.copyOf(FEEDING)) {
            try {
                queue.flush();
            } catch (IOException | RuntimeException ignored) {
                // the JVM is exiting; this was a best effort
            }
        }
    }
}

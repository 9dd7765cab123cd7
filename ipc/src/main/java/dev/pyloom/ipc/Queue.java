package dev.pyloom.ipc;

import dev.pyloom.common.Durations;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import tools.jackson.databind.JavaType;

/**
 * A first-in, first-out queue that several processes can use at once: Python's
 * {@code multiprocessing.Queue}.
 *
 * <pre>{@code
 * Queue<String> q = Queue.of(String.class);
 * // give q to a child process inside a message, or on its command line with q.toHandle()
 * q.put("A");                     // in the writer
 * String item = q.get();          // in the reader
 * }</pre>
 *
 * <p>Items are JSON messages, like a {@link Connection}'s: {@code put} encodes (and fails at
 * once, with {@link IllegalArgumentException}, for a value that cannot be encoded) and
 * {@code get} decodes into the queue's element type ({@code Object} for {@link #create()}:
 * plain JSON values). What comes out is always a copy, also in the process that put it.
 *
 * <p>The items live in the process that created the queue, which serves the others and so must
 * outlive their use of it. Every consumer sees items in the order each producer put them, and
 * no item is delivered twice. Puts to an unbounded queue from another process are pipelined
 * through a feeder thread (the call returns once the item is encoded and on its way), and
 * {@code qsize}, {@code empty}, {@code full}, {@code taskDone} and {@code join} wait until this
 * process's earlier puts have arrived, so a process always sees its own puts. A process that is
 * the queue's only consumer (its owner has taken nothing, no other process has asked for an
 * item) is lent the items waiting, up to 512 at a time, and takes them without a round trip;
 * the loan is called back as soon as anyone else asks for an item, and that get waits for it to
 * come back (up to its timeout, but a second at least, even a {@link #getNowait()}), so no item
 * waits in one process while another asks for it. An item sent to a consumer counts in
 * {@link #qsize()} until that consumer has taken it, and a consumer that closes the queue, or
 * dies, gives back what it was sent and had not taken, to the front of the queue and in order.
 * Puts not yet written by the feeder of a process that is killed are lost, as in Python;
 * {@link #close()} and normal exit wait for them.
 *
 * <p>Errors: {@link QueueEmptyException} and {@link QueueFullException} are Python's
 * {@code queue.Empty} and {@code queue.Full}; I/O problems with the owning process are
 * {@code IOException}s; an interrupted wait is an {@link java.io.InterruptedIOException}.
 * Using a queue after {@code close()} in the same process throws {@link IllegalStateException}
 * (Python raises {@code ValueError}): every method but {@link #maxsize()} and {@code close()}
 * itself, {@link #toHandle()} included.
 *
 * @param <T> the element type
 */
public sealed class Queue<T> implements AutoCloseable permits JoinableQueue {

    final QueueCore<T> core;

    Queue(QueueCore<T> core) {
        this.core = core;
    }

    /** An unbounded queue of plain JSON values. Python's {@code Queue()}. */
    public static Queue<Object> create() {
        return create(0);
    }

    /** A queue of plain JSON values holding at most {@code maxsize} items (unbounded if {@code <= 0}). Python's {@code Queue(maxsize)}. */
    public static Queue<Object> create(int maxsize) {
        return new Queue<>(QueueCore.local(Codec.ANY, maxsize, QueueCore.QUEUE));
    }

    /** An unbounded queue of {@code type}. */
    public static <T> Queue<T> of(Class<T> type) {
        return of(type, 0);
    }

    /** A queue of {@code type} holding at most {@code maxsize} items (unbounded if {@code <= 0}). */
    public static <T> Queue<T> of(Class<T> type, int maxsize) {
        return new Queue<>(QueueCore.local(Codec.type(Objects.requireNonNull(type, "type")), maxsize, QueueCore.QUEUE));
    }

    /** A queue of a generic type: {@code Queue.of(new TypeRef<List<String>>() {}, 0)}. */
    public static <T> Queue<T> of(TypeRef<T> type, int maxsize) {
        return new Queue<>(QueueCore.local(Codec.type(Objects.requireNonNull(type, "type").type()), maxsize, QueueCore.QUEUE));
    }

    /**
     * The queue whose handle is {@code handle} (from {@link #toHandle()} in another process), with
     * elements decoded as {@code type}. A JoinableQueue's handle gives a {@link JoinableQueue}.
     *
     * @throws IOException if the handle is malformed or the owning process cannot be reached
     */
    public static <T> Queue<T> fromHandle(String handle, Class<T> type) throws IOException {
        return fromHandle(QueueCore.parseHandle(handle), Codec.type(Objects.requireNonNull(type, "type")));
    }

    static <T> Queue<T> fromHandle(tools.jackson.databind.JsonNode handle, JavaType type) throws IOException {
        QueueCore<T> core = QueueCore.remote(handle, type, QueueCore.QUEUE, QueueCore.JOINABLE);
        return core.flavor.equals(QueueCore.JOINABLE) ? new JoinableQueue<>(core) : new Queue<>(core);
    }

    /**
     * Adds {@code item}, waiting for room if the queue is bounded and full. Python's {@code put(obj)}.
     *
     * @throws IllegalArgumentException if the item cannot be encoded as JSON (nothing is put)
     * @throws FrameTooLargeException   if this queue belongs to another process and the item's JSON
     *                                  is over the 64 MiB limit of a message between processes: it
     *                                  alone is refused, at once, and the queue goes on (Python has
     *                                  no such limit)
     */
    public void put(T item) throws IOException {
        core.put(item, QueueStore.FOREVER);
    }

    /**
     * Adds {@code item}, waiting at most {@code timeout} for room. Python's {@code put(obj, timeout=t)}.
     *
     * @throws QueueFullException if there was no room in time
     */
    public void put(T item, Duration timeout) throws IOException {
        core.put(item, Durations.timeoutNanos(timeout, "timeout"));
    }

    /**
     * Adds {@code item} if there is room now. Python's {@code put_nowait(obj)}.
     *
     * @throws QueueFullException if the queue is full
     */
    public void putNowait(T item) throws IOException {
        core.put(item, 0);
    }

    /** Removes and returns the oldest item, waiting for one. Python's {@code get()}. */
    public T get() throws IOException {
        return core.get(QueueStore.FOREVER);
    }

    /**
     * Removes and returns the oldest item, waiting at most {@code timeout}. Python's {@code get(timeout=t)}.
     *
     * @throws QueueEmptyException if no item came in time
     */
    public T get(Duration timeout) throws IOException {
        return core.get(Durations.timeoutNanos(timeout, "timeout"));
    }

    /**
     * Removes and returns the oldest item if there is one now. Python's {@code get_nowait()}.
     *
     * @throws QueueEmptyException if the queue is empty
     */
    public T getNowait() throws IOException {
        return core.get(0);
    }

    /** The number of items in the queue: approximate while other processes use it, as in Python. */
    public int qsize() throws IOException {
        core.checkOpen();
        return core.backend.qsize();
    }

    /** Whether the queue is empty (approximate, see {@link #qsize()}). */
    public boolean empty() throws IOException {
        return qsize() == 0;
    }

    /** Whether a bounded queue is full (approximate, see {@link #qsize()}). */
    public boolean full() throws IOException {
        core.checkOpen();
        int maxsize = core.backend.maxsize();
        return maxsize > 0 && qsize() >= maxsize;
    }

    /** The bound given at creation; 0 for an unbounded queue. */
    public int maxsize() {
        return core.backend.maxsize();
    }

    /**
     * A handle another process turns back into this queue with {@link #fromHandle(String, Class)}.
     * Unlike a connection's, it can be given to any number of processes, and this object stays
     * usable: they all share one queue. Whoever holds the handle can use the queue.
     *
     * @throws IllegalStateException if this process closed the queue
     */
    public String toHandle() {
        return core.handle().toString();
    }

    /**
     * Says this process is done with the queue: waits until its puts are delivered, then lets
     * go of its connections; later calls here throw {@link IllegalStateException}. The queue
     * itself lives on for the other processes (and, in its owner, keeps serving them). A queue
     * that is dropped without {@code close()} lets go of its connections when it is garbage
     * collected.
     */
    @Override
    public void close() throws IOException {
        core.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + core.type.toCanonical() + ", maxsize=" + maxsize()
                + (core.isClosed() ? ", closed]" : "]");
    }
}

package dev.pyloom.ipc;

import dev.pyloom.common.Durations;
import dev.pyloom.ipc.internal.Frame;
import dev.pyloom.ipc.internal.FrameChannel;
import dev.pyloom.ipc.internal.FrameKind;
import dev.pyloom.ipc.internal.Relay;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One end of a two-way (or one-way) link that carries messages: Python's
 * {@code multiprocessing.connection.Connection}.
 *
 * <p>A message is any value Jackson can write as JSON: records, enums, collections, maps,
 * {@code Optional}, {@code java.time} values, strings, numbers, booleans, {@code null}. The
 * receiver says what type it expects, and gets exactly that or a
 * {@link MalformedMessageException}; asking for {@code Object} gives plain JSON-shaped values
 * (maps, lists, strings, numbers, booleans, null), the nearest thing to "any picklable object".
 * Raw bytes travel with {@link #sendBytes(byte[])} and {@link #recvBytes()}, without JSON.
 *
 * <pre>{@code
 * Pipe pipe = Pipe.open();
 * pipe.conn1().send(new Point(1, 2));
 * Point p = pipe.conn2().recv(Point.class);
 * }</pre>
 *
 * <p>Connections come from {@link Pipe#open()}, {@link Listener#accept()},
 * {@link Client#connect(java.net.SocketAddress, byte[])}, and from handles: a connection put
 * inside a message (or turned into a string with {@link #toHandle()}) travels to the other
 * process as a small JSON handle and reconnects there, after which this object is no longer
 * usable here.
 *
 * <p>Threads: one thread may send while another receives. Concurrent senders (or receivers) take
 * turns, a whole frame at a time. Interrupting a thread blocked in {@code recv} or {@code poll}
 * gives it an {@link java.io.InterruptedIOException} and leaves the connection as it was: the
 * message it waited for goes to the next {@code recv}. A {@code send} interrupted with its frame
 * half written closes the connection, since the peer could not find the next frame.
 *
 * <p>Errors: the peer closing gives {@link EOFException} (Python's {@code EOFError}); a frame over
 * the size limit, a truncated frame, bytes that are not JSON or JSON of the wrong shape give an
 * {@code IOException} saying so, and close this connection, never another: nothing sent after
 * such a frame is delivered. A value that cannot be encoded is an
 * {@link IllegalArgumentException} at the sender, and nothing is sent. A connection that cannot
 * do what it is asked (closed, sent to another process, used in the wrong direction, no longer
 * readable) throws an {@code IOException} saying why, as Python raises {@code OSError}.
 */
public final class Connection implements AutoCloseable {

    /** How much a pipe end buffers while its partner has not yet attached from another process. */
    private static final int OUTBOX_LIMIT_BYTES = 1 << 20;

    private final boolean readable;
    private final boolean writable;
    private final int maxFrameBytes;
    private final PipePair pair; // null unless this is a pipe end

    /*
     * state, guarded by `lock`:
     *   PENDING   -> CONNECTED   a pipe end gets its socket (a local pair, or its partner attached
     *                            from another process); the outbox is written out first
     *   PENDING   -> MOVED       export() before use; if the pair is unconnected, the attaching
     *                            socket becomes the partner's (direct), else it is relayed
     *   CONNECTED -> MOVED       export(): a relay joins this socket to the attaching process
     *   PENDING, CONNECTED -> CLOSED   close(); a pending end still delivers its outbox if
     *                            its partner attaches later, then closes
     *   MOVED stays MOVED on close(): closing this process's copy, as Python programs do after
     *   handing an end to a child, does not touch the end the child now owns
     * `channel` mirrors "CONNECTED with this socket" for the fast path, which reads it without
     * the lock; it is null in every other state.
     */
    private enum State { PENDING, CONNECTED, MOVED, CLOSED }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stateChanged = lock.newCondition();
    private State state;
    private boolean closedHere; // close() was called (a moved end stays MOVED); guarded by lock
    private volatile FrameChannel channel;
    /** Completed when this end gets a socket, in any state: what a relay waits for. */
    private final CompletableFuture<FrameChannel> socket = new CompletableFuture<>();
    private final ArrayDeque<Frame> outbox = new ArrayDeque<>(); // guarded by lock
    private long outboxBytes;                                    // guarded by lock
    /**
     * A pending end's socket while its outbox is still being written: readers use it at once,
     * writers wait for the outbox (their frames go after it). Guarded by lock.
     */
    private FrameChannel readSide;

    /** A connection over a socket that is already connected and authenticated. */
    Connection(FrameChannel channel, boolean readable, boolean writable) {
        this.readable = readable;
        this.writable = writable;
        this.maxFrameBytes = channel.maxFrameBytes();
        this.pair = null;
        this.state = State.CONNECTED;
        this.channel = channel;
        this.socket.complete(channel);
    }

    /** A pipe end, connected on first use or when its partner goes to another process. */
    Connection(PipePair pair, boolean readable, boolean writable, int maxFrameBytes) {
        this.readable = readable;
        this.writable = writable;
        this.maxFrameBytes = maxFrameBytes;
        this.pair = pair;
        this.state = State.PENDING;
    }

    // ------------------------------------------------------------------ sending

    /**
     * Sends {@code message}, encoded as JSON. Python's {@code send(obj)}. Blocks only while the
     * socket's buffer is full.
     *
     * @throws IllegalArgumentException if the value cannot be encoded as JSON (nothing is sent)
     * @throws FrameTooLargeException   if its encoding exceeds the connection's frame limit
     * @throws IOException              if the connection is closed, broken, read-only, or was sent
     *                                  to another process
     */
    public void send(Object message) throws IOException {
        requireWritable();
        byte[] encoded = Codec.encode(message); // before anything else: a value that cannot be encoded sends nothing
        FrameChannel ch = channel;
        if (ch == null && (ch = channelForSending(() -> encoded, FrameKind.MESSAGE)) == null) {
            return; // buffered until the partner attaches
        }
        ch.write(FrameKind.MESSAGE, encoded, 0, encoded.length);
    }

    /** Sends all of {@code bytes} as one message, without JSON. Python's {@code send_bytes(buf)}. */
    public void sendBytes(byte[] bytes) throws IOException {
        sendBytes(bytes, 0, bytes.length);
    }

    /**
     * Sends {@code size} bytes of {@code bytes} from {@code offset} as one message. Python's
     * {@code send_bytes(buf, offset, size)}.
     *
     * @throws IndexOutOfBoundsException if the range is not inside the array
     */
    public void sendBytes(byte[] bytes, int offset, int size) throws IOException {
        requireWritable(); // first, as Python's _check_closed: a closed end says so, whatever the arguments
        Objects.checkFromIndexSize(offset, size, bytes.length);
        FrameChannel ch = channel;
        if (ch == null && (ch = channelForSending(() -> Arrays.copyOfRange(bytes, offset, offset + size),
                FrameKind.BYTES)) == null) {
            return;
        }
        ch.write(FrameKind.BYTES, bytes, offset, size);
    }

    private interface Payload {
        byte[] bytes();
    }

    /**
     * The slow path of sending: returns the socket to write to, or null if the frame was put in
     * the outbox of a pipe end whose partner has not attached yet (waiting while the outbox is
     * full). Once the partner has attached, a send waits for the outbox to be written and then
     * writes its frame itself, so that it returns only when the frame is in the socket, as every
     * other send does.
     */
    private FrameChannel channelForSending(Payload payload, FrameKind kind) throws IOException {
        return awaitChannel(Long.MAX_VALUE, () -> {
            if (readSide != null || outboxBytes >= OUTBOX_LIMIT_BYTES) {
                return false;
            }
            byte[] bytes = payload.bytes();
            if (bytes.length > maxFrameBytes) {
                throw new FrameTooLargeException(bytes.length, maxFrameBytes);
            }
            outbox.add(new Frame(kind, bytes));
            outboxBytes += bytes.length;
            return true;
        });
    }

    // ------------------------------------------------------------------ receiving

    /**
     * Receives the next message as plain JSON values: {@code Map}, {@code List}, {@code String},
     * a {@code Number}, {@code Boolean} or {@code null}. Python's {@code recv()}. Blocks until a
     * message arrives.
     *
     * @throws EOFException              if the peer has closed its end and nothing is left to read
     * @throws MalformedMessageException if what arrived is not a JSON message (closes the connection)
     */
    public Object recv() throws IOException {
        return recv(Codec.ANY);
    }

    /**
     * Receives the next message as a {@code type}.
     *
     * @throws MalformedMessageException if it is not JSON of that shape (closes the connection)
     * @see #recv()
     */
    public <T> T recv(Class<T> type) throws IOException {
        requireReadable();
        return recv(Codec.type(Objects.requireNonNull(type, "type")));
    }

    /**
     * Receives the next message as a generic type: {@code recv(new TypeRef<List<Point>>() {})}.
     *
     * @see #recv()
     */
    public <T> T recv(TypeRef<T> type) throws IOException {
        requireReadable();
        return recv(Codec.type(Objects.requireNonNull(type, "type").type()));
    }

    private <T> T recv(JavaType type) throws IOException {
        FrameChannel ch = readingChannel();
        return ch.read((kind, array, offset, length) -> {
            if (kind != FrameKind.MESSAGE) {
                throw ch.failed(new MalformedMessageException("expected a JSON message, got a "
                        + kind.name().toLowerCase(java.util.Locale.ROOT) + " frame"
                        + (kind == FrameKind.BYTES ? " (sent with sendBytes: use recvBytes)" : "")));
            }
            try {
                return Codec.decode(array, offset, length, type);
            } catch (MalformedMessageException e) {
                throw ch.failed(e);
            }
        });
    }

    /** Receives the next message's bytes: raw for {@code sendBytes}, the JSON text for {@code send}. */
    public byte[] recvBytes() throws IOException {
        return recvBytes(Integer.MAX_VALUE);
    }

    /**
     * Receives the next message's bytes, refusing one longer than {@code maxLength}. Python's
     * {@code recv_bytes(maxlength)}: as there, an over-long message is left unread and this end
     * receives nothing more. Every later {@code recv}, {@code recvBytes}, {@code recvBytesInto}
     * and {@code poll} throws an {@code IOException} and {@link #readable()} is false; a duplex end
     * can still send, a read-only end is closed.
     *
     * @throws IllegalArgumentException if {@code maxLength} is negative
     * @throws IOException              if the message is longer than {@code maxLength}, saying so
     */
    public byte[] recvBytes(int maxLength) throws IOException {
        requireReadable();
        if (maxLength < 0) {
            throw new IllegalArgumentException("negative maxLength: " + maxLength);
        }
        FrameChannel ch = readingChannel();
        Frame frame;
        try {
            frame = ch.readOwned(maxLength);
        } catch (IOException e) {
            if (!writable && ch.readingStopped()) {
                close(); // as Python does: a read-only end that cannot read has no use left
            }
            throw e;
        }
        requireData(ch, frame.kind());
        return frame.payload();
    }

    /**
     * Receives the next message's bytes into {@code buffer} from {@code offset}, and returns how
     * many there were. Python's {@code recv_bytes_into(buffer, offset)}.
     *
     * @throws BufferTooShortException if they do not fit; it carries the whole message
     */
    public int recvBytesInto(byte[] buffer, int offset) throws IOException {
        requireReadable();
        Objects.checkIndex(offset, buffer.length + 1);
        FrameChannel ch = readingChannel();
        return ch.read((kind, array, start, length) -> {
            requireData(ch, kind);
            if (length > buffer.length - offset) {
                throw new BufferTooShortException(Arrays.copyOfRange(array, start, start + length), buffer.length - offset);
            }
            System.arraycopy(array, start, buffer, offset, length);
            return length;
        });
    }

    private static void requireData(FrameChannel ch, FrameKind kind) throws MalformedMessageException {
        if (kind == FrameKind.CONTROL) {
            throw ch.failed(new MalformedMessageException("unexpected control frame on a user connection"));
        }
    }

    /** Whether a message can be received without blocking. Python's {@code poll()}. */
    public boolean poll() throws IOException {
        return poll(Duration.ZERO);
    }

    /**
     * Waits at most {@code timeout} for a message to be receivable without blocking (or for the
     * end of the stream, so that {@code recv} would fail at once). Python's {@code poll(timeout)}.
     * A message larger than 64 KiB counts once its first bytes have arrived; {@code recv} then
     * waits for the rest.
     *
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public boolean poll(Duration timeout) throws IOException {
        requireReadable();
        long nanos = Durations.timeoutNanos(timeout, "timeout");
        long deadline = System.nanoTime() + nanos;
        FrameChannel ch = channel;
        if (ch == null) {
            ch = awaitReadingChannel(nanos);
            if (ch == null) {
                return false;
            }
        }
        return ch.poll(Math.max(0, deadline - System.nanoTime()));
    }

    private FrameChannel readingChannel() throws IOException {
        requireReadable();
        FrameChannel ch = channel;
        return ch != null ? ch : awaitReadingChannel(Long.MAX_VALUE);
    }

    /**
     * The slow path of receiving: waits until this end has its socket (not for its outbox to be
     * written: see {@link #connect}); null if the time ran out.
     */
    private FrameChannel awaitReadingChannel(long nanos) throws IOException {
        FrameChannel[] found = new FrameChannel[1];
        FrameChannel ch = awaitChannel(nanos, () -> (found[0] = readSide) != null);
        return ch != null ? ch : found[0];
    }

    /** What a caller does while this end has no socket yet; runs with the lock held. */
    private interface WhilePending {
        /** Returns true if the caller is done without a socket, false to keep waiting. */
        boolean done() throws IOException;
    }

    /**
     * Waits, at most {@code nanos} ({@code Long.MAX_VALUE}: without limit), until this end is
     * connected, and returns its socket; null if the time ran out or {@code whilePending} was
     * done without one. Throws if the end is closed or was sent away.
     */
    private FrameChannel awaitChannel(long nanos, WhilePending whilePending) throws IOException {
        connectPipeIfUnused();
        long deadline = System.nanoTime() + nanos;
        lockInterruptibly();
        try {
            for (;;) {
                switch (state) {
                    case CONNECTED:
                        return channel;
                    case MOVED:
                        throw movedAway();
                    case CLOSED:
                        throw new IOException("connection is closed");
                    default: // PENDING
                        if (whilePending.done()) {
                            return null;
                        }
                        try {
                            if (nanos == Long.MAX_VALUE) {
                                stateChanged.await();
                            } else {
                                long remaining = deadline - System.nanoTime();
                                if (remaining <= 0) {
                                    return null;
                                }
                                stateChanged.awaitNanos(remaining);
                            }
                        } catch (InterruptedException e) {
                            throw interrupted(e);
                        }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** A pipe end used here before either end left: both ends get a local socket pair now. */
    private void connectPipeIfUnused() throws IOException {
        if (pair != null) {
            pair.connectLocally(maxFrameBytes);
        }
    }

    /**
     * Gives this end its socket (pipe ends only). The outbox goes out first, without holding the
     * lock across socket writes, so that close() and isClosed() never wait for a slow peer;
     * sends that arrive meanwhile join the outbox and go out in their turn, and the state changes
     * only once it is empty. Receiving starts at once: the peer may be writing to this end while
     * the outbox is written to it, and would wait forever for a reader, as this end would for it.
     *
     * <p>{@code confirm} tells the partner it is attached, first thing on the socket: once the
     * partner hears it, this end has its socket, and a send from then on reaches the partner
     * before it returns.
     */
    void connect(FrameChannel socketChannel, Exporter.Confirmation confirm) throws IOException {
        lock.lock();
        try {
            if (state == State.PENDING) {
                readSide = socketChannel;
                stateChanged.signalAll();
            }
        } finally {
            lock.unlock();
        }
        try {
            confirm.send();
        } catch (IOException partnerGone) {
            lock.lock();
            try {
                outbox.clear();
                outboxBytes = 0;
                finishConnecting(socketChannel); // receiving reports the partner's end of stream
            } finally {
                lock.unlock();
            }
            throw partnerGone;
        }
        for (;;) {
            List<Frame> batch;
            lock.lock();
            try {
                if (outbox.isEmpty()) {
                    finishConnecting(socketChannel);
                    return;
                }
                batch = new ArrayList<>(outbox);
                outbox.clear();
                outboxBytes = 0;
                stateChanged.signalAll(); // room in the outbox again
            } finally {
                lock.unlock();
            }
            try {
                socketChannel.writeAll(batch);
            } catch (IOException peerGone) {
                // The partner stopped reading (it may have exited): sending is over, but what it
                // sent before that is still to be read here, and then its end of stream.
                lock.lock();
                try {
                    outbox.clear();
                    outboxBytes = 0;
                    finishConnecting(socketChannel); // later sends report the broken connection
                } finally {
                    lock.unlock();
                }
                return;
            }
        }
    }

    private void finishConnecting(FrameChannel socketChannel) throws IOException { // lock held
        switch (state) {
            case PENDING -> {
                state = State.CONNECTED;
                channel = socketChannel;
                readSide = null;
                socket.complete(socketChannel);
                stateChanged.signalAll();
            }
            case MOVED -> socket.complete(socketChannel); // its relay starts now, after the outbox
            default -> socketChannel.close(); // closed here before its partner came: end of stream
        }
    }

    // ------------------------------------------------------------------ handles

    /**
     * Turns this connection into a handle for another process, as a compact JSON string, for a
     * command line or a file: {@link #fromHandle(String)} in the other process reconnects it.
     * From then on this object is unusable here: the other process owns this end.
     *
     * <p>Putting the connection inside a message does the same implicitly. The process that
     * exported it keeps the handle alive for as long as it runs. A handle holds a key that lets
     * its bearer attach: treat it like one.
     *
     * @throws UncheckedIOException around the {@code IOException} every other use throws, if this
     *                              end was closed (by {@link #close()} or by bad input) or already
     *                              sent to another process (Python's {@code OSError} when pickling
     *                              a closed connection); or around one saying so if it stopped
     *                              reading at a message longer than {@link #recvBytes(int)}'s
     *                              maximum: what follows on its stream is never handed out, here
     *                              or elsewhere. Nothing changes here when it throws.
     */
    public String toHandle() {
        return export().toString();
    }

    /**
     * Reconnects a connection from a handle made by {@link #toHandle()} in another process (on
     * this machine).
     *
     * @throws IOException if the handle is malformed, the exporting process is gone, or the
     *                     connection was already attached by another process
     */
    public static Connection fromHandle(String handle) throws IOException {
        JsonNode node;
        try {
            node = Codec.MAPPER.readTree(Objects.requireNonNull(handle, "handle"));
        } catch (tools.jackson.core.JacksonException e) {
            throw new MalformedMessageException("not a connection handle: " + e.getOriginalMessage(), e);
        }
        return fromHandle(node);
    }

    static Connection fromHandle(JsonNode handle) throws IOException {
        FrameChannel ch = Exporter.attach(handle, "connection");
        return new Connection(ch, handle.path("readable").asBoolean(true), handle.path("writable").asBoolean(true));
    }

    /** Exports this end; see {@link #toHandle()}. Returns the handle as a JSON object. */
    ObjectNode export() {
        Exporter exporter = Exporter.get(); // first: an end that cannot be exported stays usable here
        State before;
        lock.lock();
        try {
            if (state == State.CLOSED) {
                throw new UncheckedIOException(new IOException("connection is closed"));
            }
            if (state == State.MOVED) {
                throw new UncheckedIOException(movedAway());
            }
            // What is left on a stream after bad input, or after a message this end refused, is
            // never handed out: the stream cannot go to another process either, where a relay
            // would pass it on as it is (the rest of a refused message read as frames).
            FrameChannel ch = channel != null ? channel : readSide;
            if (ch != null && ch.isBroken()) {
                throw new UncheckedIOException(ch.brokenError());
            }
            if (ch != null && ch.readingStopped()) {
                throw new UncheckedIOException(new IOException("this connection cannot be sent to another process: "
                        + ch.unreadableError().getMessage(), ch.unreadableError()));
            }
            before = state;
            state = State.MOVED;
            channel = null;
            stateChanged.signalAll();
        } finally {
            lock.unlock();
        }
        Exporter.Target target;
        if (before == State.PENDING && pair != null && pair.claimDirect()) {
            Connection partner = pair.partner(this);
            target = attachOnce(partner::connect); // the two processes will talk directly
        } else {
            target = attachOnce((remote, confirm) -> {
                confirm.send();
                socket.thenAccept(mine -> Relay.splice(mine, remote));
            });
        }
        return exporter.register("connection", target)
                .put("readable", readable)
                .put("writable", writable);
    }

    private interface Attach {
        void attach(FrameChannel remote, Exporter.Confirmation confirm) throws IOException;
    }

    private static Exporter.Target attachOnce(Attach attach) {
        return new Exporter.Target() {
            @Override
            public void attach(FrameChannel channel, JsonNode request, Exporter.Confirmation confirm) throws IOException {
                attach.attach(channel, confirm);
            }

            @Override
            public boolean once() {
                return true;
            }
        };
    }

    // ------------------------------------------------------------------ state

    /**
     * Whether {@link #close()} has been called, or bad input closed this end (see the class
     * documentation). Python's {@code closed}.
     */
    public boolean isClosed() {
        lock.lock();
        try {
            FrameChannel ch = channel;
            return closedHere || ch != null && ch.isBroken();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether this end can receive. Python's {@code readable}: false for the sending end of a
     * one-way pipe, once a message was longer than {@link #recvBytes(int)}'s maximum, and once
     * bad input closed it.
     */
    public boolean readable() {
        FrameChannel ch = channel;
        return readable && (ch == null || !ch.readingStopped() && !ch.isBroken());
    }

    /**
     * Whether this end can send. Python's {@code writable}: false for the receiving end of a
     * one-way pipe, and once bad input closed it.
     */
    public boolean writable() {
        FrameChannel ch = channel;
        return writable && (ch == null || !ch.isBroken());
    }

    /**
     * Closes this end; the peer then gets {@link EOFException} once it has read what was sent.
     * A thread blocked on this connection gets an {@code IOException}. Idempotent. A connection
     * already sent to another process is not affected there: closing this process's copy after
     * handing it over, as Python programs do, is harmless.
     */
    @Override
    public void close() throws IOException {
        FrameChannel toClose;
        FrameChannel stillWriting;
        lock.lock();
        try {
            closedHere = true;
            if (state == State.CLOSED || state == State.MOVED) {
                return; // a moved end belongs to the other process now: closing our copy changes nothing there
            }
            state = State.CLOSED;
            toClose = channel;
            channel = null;
            // A pending end keeps its outbox: connect() delivers it before closing the socket.
            stillWriting = readSide;
            readSide = null;
            stateChanged.signalAll();
        } finally {
            lock.unlock();
        }
        if (toClose != null) {
            toClose.close();
        }
        if (stillWriting != null) {
            // its outbox is still going out: stop only the reading, which wakes a blocked reader
            try {
                stillWriting.socket().shutdownInput();
            } catch (IOException alreadyClosed) {
                // the outbox's writer failed and closed it: the reader is awake already
            }
        }
    }

    @Override
    public String toString() {
        String mode = readable && writable ? "duplex" : readable ? "read-only" : "write-only";
        lock.lock();
        try {
            return "Connection[" + mode + ", " + state.name().toLowerCase(java.util.Locale.ROOT) + "]";
        } finally {
            lock.unlock();
        }
    }

    /*
     * Python checks that a connection is open before its direction (_check_closed, then
     * _check_writable): a closed end says it is closed, whichever way it is used. An end with its
     * socket is open; only one without needs the lock to find out.
     */
    private void requireWritable() throws IOException {
        FrameChannel ch = channel;
        if (ch == null) {
            requireUsable();
        } else if (ch.isBroken()) {
            throw ch.brokenError();
        }
        if (!writable) {
            throw new IOException("connection is read-only");
        }
    }

    private void requireReadable() throws IOException {
        FrameChannel ch = channel;
        if (ch == null) {
            requireUsable();
        } else if (ch.isBroken()) {
            throw ch.brokenError();
        }
        if (!readable) {
            throw new IOException("connection is write-only");
        }
    }

    /** Throws if this end is closed or was sent to another process. */
    private void requireUsable() throws IOException {
        lock.lock();
        try {
            switch (state) {
                case CLOSED -> throw new IOException("connection is closed");
                case MOVED -> throw movedAway();
                default -> { }
            }
        } finally {
            lock.unlock();
        }
    }

    private static IOException movedAway() {
        return new IOException("this connection was sent to another process and is no longer usable here");
    }

    private void lockInterruptibly() throws InterruptedIOException {
        try {
            lock.lockInterruptibly();
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    private static InterruptedIOException interrupted(InterruptedException e) {
        Thread.currentThread().interrupt();
        InterruptedIOException io = new InterruptedIOException("interrupted while waiting for the connection");
        io.initCause(e);
        return io;
    }
}

package dev.pyloom.ipc.internal;

import dev.pyloom.ipc.FrameTooLargeException;
import dev.pyloom.ipc.MalformedMessageException;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Length-prefixed frames over a connected socket: the wire format every pyloom connection
 * speaks.
 *
 * <pre>
 *   0               4     5
 *   +---------------+-----+---------------------------+
 *   | length (u32)  |kind | payload: length bytes     |
 *   +---------------+-----+---------------------------+
 *   big-endian       1 MESSAGE (UTF-8 JSON)
 *                    2 BYTES   (raw)
 *                    3 CONTROL (UTF-8 JSON object with an "op")
 * </pre>
 *
 * <p>Reading is buffered (one system call brings in as many small frames as have arrived) and
 * defensive: a length over the limit, an unknown kind or a stream that ends inside a frame is an
 * exception that also closes the channel, because after any of them the stream cannot be
 * trusted. From then on every read throws, frames already buffered included: nothing that
 * follows a broken frame is ever handed out. A frame larger than the buffer is collected in
 * memory that grows as its bytes actually arrive, never allocated at the size its header claims.
 *
 * <p>Writing encodes the whole frame first, then writes it in one go, so a failure to encode
 * never leaves half a frame on the wire. Readers and writers are independent: one thread may
 * read while another writes; concurrent readers (or writers) take turns.
 *
 * <p>The socket is non-blocking, and a reader or a writer that has to wait does so on the
 * process's {@link Poller}. So {@link #poll} looks at the socket itself, as Python's {@code select()} does (a
 * message already there is seen at once, whatever other threads are doing), and an interrupt
 * ends a wait without closing the socket: nothing is consumed before a whole small frame is
 * there, and a large frame collected in part is kept for the next reader.
 */
public final class FrameChannel implements Closeable {

    /** Bytes before every payload: the length and the kind. */
    public static final int HEADER_BYTES = 5;

    /** The default maximum payload, 64 MiB: large enough for any sensible message, small enough to refuse abuse. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 64 << 20;

    /** The read buffer, and the largest frame written by copying into one buffer. */
    private static final int BUFFER_BYTES = 64 << 10;

    /**
     * The most a single read or write of a large frame asks of the socket. The JDK copies a heap
     * buffer through a temporary direct buffer as large as what is asked, on every call, while
     * the socket takes a few hundred kilobytes a call: asking for a whole 64 MiB frame each time
     * would copy it again and again, quadratic in its size.
     */
    private static final int IO_SLICE = 256 << 10;

    /**
     * The read buffer's size until the limit is raised past the handshake's: a connection that
     * has not authenticated costs a few kilobytes, not a full buffer.
     */
    private static final int SMALL_BUFFER_BYTES = 4 << 10;

    /**
     * What a frame too large for the read buffer is first given: enough for the common large
     * message in one piece, while a peer that announces gigabytes and sends nothing costs at
     * most this much. Beyond it, memory doubles only as bytes actually arrive.
     */
    private static final int LARGE_FRAME_FIRST_ALLOCATION = 1 << 20;

    /** Receives one frame. The array is only valid during the call. */
    @FunctionalInterface
    public interface FrameReader<R> {
        R read(FrameKind kind, byte[] array, int offset, int length) throws IOException;
    }

    /** Writes a payload into the frame buffer; used to encode JSON straight into it. */
    @FunctionalInterface
    public interface PayloadWriter {
        void writeTo(java.io.OutputStream out) throws IOException;
    }

    private final SocketChannel channel;
    private volatile int maxFrameBytes;

    private final ReentrantLock readLock = new ReentrantLock();
    /** Unread bytes are [position, limit); guarded by readLock. */
    private ByteBuffer in = ByteBuffer.allocate(SMALL_BUFFER_BYTES).flip();
    /** A frame too large for the read buffer whose header is consumed; guarded by readLock. */
    private LargeFrame large;
    /** The peer has closed its side; guarded by readLock. */
    private boolean endOfStream;
    /** Where a reader waits for bytes; closing wakes it. */
    private final Poller.WaiterSlot reading = new Poller.WaiterSlot();
    /** Set while an interrupt must not end a read's wait; guarded by readLock. See {@link #readOwnedUninterruptibly}. */
    private boolean interruptsDeferred;
    /** An interrupt taken while they were deferred, to be restored; guarded by readLock. */
    private boolean interruptTaken;

    private final ReentrantLock writeLock = new ReentrantLock();
    private final GrowableBuffer out = new GrowableBuffer(1024); // grows as frames need; guarded by writeLock
    /** Where a writer waits for room in the socket; closing wakes it. */
    private final Poller.WaiterSlot writing = new Poller.WaiterSlot();

    /** Why this side closed the channel (a protocol error), reported to later callers. */
    private volatile IOException closedBecause;

    /**
     * Why this side stopped reading while writing goes on (a frame longer than a reader's
     * maximum, left unread inside the stream), reported to later readers.
     */
    private volatile IOException unreadableBecause;

    /**
     * Takes over a connected socket, which is made non-blocking: from now on it is read and
     * written through this object alone.
     */
    public FrameChannel(SocketChannel channel, int maxFrameBytes) throws IOException {
        this(maxFrameBytes, channel);
        channel.configureBlocking(false);
    }

    private FrameChannel(int maxFrameBytes, SocketChannel channel) {
        if (maxFrameBytes < 0) {
            throw new IllegalArgumentException("maximum frame size must not be negative: " + maxFrameBytes);
        }
        this.channel = channel;
        this.maxFrameBytes = maxFrameBytes;
    }

    /** A channel over no socket, never read or written: a marker for the end of a queue of channels. */
    public static FrameChannel marker() {
        return new FrameChannel(0, null);
    }

    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /**
     * Changes the limit: a connection runs its handshake with a small one, so that a peer that
     * has not authenticated cannot make it buffer much, and then lifts it.
     */
    public void setMaxFrameBytes(int maxFrameBytes) {
        if (maxFrameBytes < 0) {
            throw new IllegalArgumentException("maximum frame size must not be negative: " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
        if (maxFrameBytes > SMALL_BUFFER_BYTES - HEADER_BYTES) {
            readLock.lock();
            try {
                if (in.capacity() < BUFFER_BYTES) {
                    in = ByteBuffer.allocate(BUFFER_BYTES).put(in).flip();
                }
            } finally {
                readLock.unlock();
            }
        }
    }

    public SocketChannel socket() {
        return channel;
    }

    // ------------------------------------------------------------------ reading

    /**
     * Reads the next frame and hands it to {@code reader}. Blocks until a whole frame has
     * arrived.
     *
     * @throws EOFException if the peer closed the connection (at a frame boundary, or, with a
     *                      message saying so, inside a frame)
     * @throws FrameTooLargeException   on a frame longer than the limit; the channel is then
     *                                   closed
     * @throws MalformedMessageException on a frame that breaks the protocol otherwise; the
     *                                   channel is then closed
     */
    public <R> R read(FrameReader<R> reader) throws IOException {
        return read(reader, Integer.MAX_VALUE);
    }

    /**
     * Reads as {@link #read(FrameReader)} does, unless the next frame's payload is longer than
     * {@code maxLength}: then its payload is never read, and this channel reads nothing more (the
     * stream is inside that frame), while writing goes on. Python's {@code recv_bytes(maxlength)}.
     *
     * @throws IOException saying the message is longer than {@code maxLength}; every later read
     *                     throws too
     */
    public <R> R read(FrameReader<R> reader, int maxLength) throws IOException {
        lockForReading();
        try {
            return readLocked(reader, maxLength);
        } finally {
            readLock.unlock();
        }
    }

    /** Reads as {@link #read(FrameReader, int)} does; read lock held. */
    private <R> R readLocked(FrameReader<R> reader, int maxLength) throws IOException {
        requireReadable();
        if (large != null) {
            return finishLarge(reader, maxLength);
        }
        ensureBuffered(HEADER_BYTES, -1);
        int length = in.getInt(in.position());
        FrameKind kind = FrameKind.of(in.get(in.position() + 4));
        if (length < 0 || length > maxFrameBytes) {
            throw failed(new FrameTooLargeException(Integer.toUnsignedLong(length), maxFrameBytes));
        }
        if (kind == null) {
            throw failed(new MalformedMessageException(String.format(
                    "unknown frame kind 0x%02x", in.get(in.position() + 4) & 0xff)));
        }
        if (length > maxLength) {
            in.position(in.position() + HEADER_BYTES); // the header is read; the payload never will be
            throw stopReading(new IOException("message of " + length + " bytes is longer than maxLength "
                    + maxLength));
        }
        if (length <= in.capacity() - HEADER_BYTES) {
            // Nothing is consumed until the whole frame is here: a read interrupted while
            // waiting for the rest leaves the stream exactly as it was.
            ensureBuffered(HEADER_BYTES + length, length);
            int start = in.position() + HEADER_BYTES;
            in.position(start + length);
            return reader.read(kind, in.array(), in.arrayOffset() + start, length);
        }
        in.position(in.position() + HEADER_BYTES);
        large = new LargeFrame(kind, length);
        return finishLarge(reader, maxLength);
    }

    /**
     * Collects the rest of a large frame and hands it over. An interrupted wait leaves what has
     * arrived in {@link #large}, for the next read to go on from.
     */
    private <R> R finishLarge(FrameReader<R> reader, int maxLength) throws IOException {
        LargeFrame frame = large;
        if (frame.length > maxLength) {
            throw stopReading(new IOException("message of " + frame.length + " bytes is longer than maxLength "
                    + maxLength));
        }
        try {
            collect(frame);
        } catch (InterruptedIOException e) {
            throw e;
        } catch (IOException e) {
            large = null;
            throw failed(e); // part of the frame is gone: this stream cannot be resumed
        }
        large = null;
        return reader.read(frame.kind, frame.payload, 0, frame.length);
    }

    /**
     * Reads the next frame into a byte array of its own, exactly the payload's length: copied
     * out of the read buffer for a small frame, handed over without a copy for a large one.
     */
    public Frame readOwned() throws IOException {
        return readOwned(Integer.MAX_VALUE);
    }

    /** Reads the next frame as {@link #readOwned()} does, refusing one longer than {@code maxLength} as {@link #read(FrameReader, int)} does. */
    public Frame readOwned(int maxLength) throws IOException {
        lockForReading();
        try {
            return readLocked(this::owned, maxLength);
        } finally {
            readLock.unlock();
        }
    }

    private Frame owned(FrameKind kind, byte[] array, int offset, int length) {
        return array.length == length && array != in.array()
                ? new Frame(kind, array)
                : new Frame(kind, java.util.Arrays.copyOfRange(array, offset, offset + length));
    }

    /**
     * Reads the next frame as {@link #readOwned()} does, not letting an interrupt end the wait
     * (the interrupt stays set for the caller). For a reply that must not be lost.
     */
    public Frame readOwnedUninterruptibly() throws IOException {
        readLock.lock();
        interruptsDeferred = true;
        interruptTaken = Thread.interrupted();
        try {
            return readLocked(this::owned, Integer.MAX_VALUE);
        } finally {
            interruptsDeferred = false;
            if (interruptTaken) {
                interruptTaken = false;
                Thread.currentThread().interrupt();
            }
            readLock.unlock();
        }
    }

    /**
     * Waits at most {@code nanos} for a frame to be readable without blocking: a whole frame
     * buffered, or the end of the stream. A frame larger than the read buffer (64 KiB) counts as
     * readable once its header has arrived; reading it may then wait for the rest. Bytes already
     * in the socket are seen whatever the timeout, zero included.
     */
    public boolean poll(long nanos) throws IOException {
        long deadline = System.nanoTime() + nanos;
        try {
            if (!readLock.tryLock(nanos, TimeUnit.NANOSECONDS)) {
                return false; // another thread is reading; the frame will be its
            }
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
        try {
            requireReadable();
            for (;;) {
                if (frameReadable() || readAvailable() != 0 && frameReadable()) {
                    return true;
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    // Where Python's select() is a system call that lets other threads run: a loop
                    // of polls gives the others a chance, as far as the scheduler lets it.
                    Thread.yield();
                    return false;
                }
                awaitReadable(remaining);
            }
        } finally {
            readLock.unlock();
        }
    }

    /**
     * Whether a whole frame is already in the read buffer, so that {@link #read} returns without
     * touching the socket. Never blocks and never reads; false if another thread is reading.
     */
    public boolean frameBuffered() {
        if (!readLock.tryLock()) {
            return false;
        }
        try {
            if (closedBecause != null || unreadableBecause != null || in.remaining() < HEADER_BYTES) {
                return false;
            }
            int length = in.getInt(in.position());
            return length >= 0 && length <= in.capacity() - HEADER_BYTES && in.remaining() >= HEADER_BYTES + length;
        } finally {
            readLock.unlock();
        }
    }

    private boolean frameReadable() {
        if (endOfStream || closedBecause != null || large != null) {
            return true; // a read would not block: it would fail at once
        }
        if (in.remaining() < HEADER_BYTES) {
            return false;
        }
        int length = in.getInt(in.position());
        if (length < 0 || length > in.capacity() - HEADER_BYTES) {
            return true; // too large to buffer whole (or invalid): the header is enough
        }
        return in.remaining() >= HEADER_BYTES + length;
    }

    /**
     * Throws if this side closed the channel for a broken frame, or stopped reading: what is
     * still buffered after such a frame is never handed out.
     */
    private void requireReadable() throws IOException {
        IOException closed = closedBecause;
        if (closed != null) {
            throw new IOException("connection is closed: " + closed.getMessage(), closed);
        }
        IOException unreadable = unreadableBecause;
        if (unreadable != null) {
            throw new IOException("connection is no longer readable: " + unreadable.getMessage(), unreadable);
        }
    }

    /**
     * Whether this side closed the channel because of what arrived ({@link #failed}): a broken
     * frame, bytes of the wrong kind or shape. Nothing more is read or written.
     */
    public boolean isBroken() {
        return closedBecause != null;
    }

    /** The exception every use of a broken channel throws; see {@link #isBroken()}. */
    public IOException brokenError() {
        IOException reason = closedBecause;
        return new IOException("connection is closed: " + reason.getMessage(), reason);
    }

    /** Why reading stopped, as every later read reports it; null if it has not. */
    public IOException unreadableError() {
        IOException unreadable = unreadableBecause;
        return unreadable == null ? null
                : new IOException("connection is no longer readable: " + unreadable.getMessage(), unreadable);
    }

    /** Whether reading stopped at a frame longer than a reader's maximum ({@link #read(FrameReader, int)}). */
    public boolean readingStopped() {
        return unreadableBecause != null;
    }

    private IOException stopReading(IOException reason) { // read lock held
        unreadableBecause = reason;
        return reason;
    }

    private void lockForReading() throws InterruptedIOException {
        try {
            readLock.lockInterruptibly();
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    /**
     * Makes at least {@code n} unread bytes available, reading as needed. {@code payloadLength}
     * is the payload length of the frame being completed, or -1 while waiting for a header (a
     * clean end of stream is then possible).
     */
    private void ensureBuffered(int n, int payloadLength) throws IOException {
        while (in.remaining() < n) {
            if (readMore() < 0) {
                if (payloadLength < 0 && in.remaining() == 0) {
                    throw closedBecause != null ? closedBecause : new EOFException("connection closed by the peer");
                }
                String arrived = payloadLength < 0
                        ? in.remaining() + " of " + HEADER_BYTES + " header bytes arrived"
                        : (in.remaining() - HEADER_BYTES) + " of " + payloadLength + " bytes arrived";
                throw failed(new EOFException("connection closed in the middle of a frame: " + arrived));
            }
        }
    }

    /** Reads into the buffer, waiting until something has arrived; the count, or -1 at the end of the stream. */
    private int readMore() throws IOException {
        for (;;) {
            int n = readAvailable();
            if (n != 0) {
                return n;
            }
            awaitReadable(Long.MAX_VALUE);
        }
    }

    /** Reads into the buffer whatever has arrived, without waiting: the count (maybe 0), or -1 at the end of the stream. */
    private int readAvailable() throws IOException {
        if (endOfStream) {
            return -1;
        }
        in.compact();
        try {
            return readSocket(in);
        } finally {
            in.flip();
        }
    }

    /** One non-blocking read of the socket: the count (maybe 0), or -1 at the end of the stream. */
    private int readSocket(ByteBuffer into) throws IOException {
        try {
            int n = channel.read(into);
            if (n < 0) {
                endOfStream = true;
            }
            return n;
        } catch (java.net.SocketException reset) {
            if (closedBecause != null || !channel.isOpen()) {
                throw translate(reset);
            }
            // The peer closed with some of what was sent to it unread, and the kernel says
            // "connection reset": it has gone, as at an end of stream (a frame cut short is still
            // reported as such by the caller).
            endOfStream = true;
            return -1;
        } catch (IOException e) {
            throw translate(e);
        }
    }

    /**
     * Waits at most {@code nanos} for the socket to have bytes (or its end) to read; may return
     * earlier, so callers look again. An interrupt ends the wait with an
     * {@link InterruptedIOException}, unless interrupts are deferred
     * ({@link #readOwnedUninterruptibly}). Read lock held.
     */
    private void awaitReadable(long nanos) throws IOException {
        for (;;) {
            if (interruptsDeferred && Thread.interrupted()) {
                interruptTaken = true;
            }
            Poller.await(channel, SelectionKey.OP_READ, nanos, reading);
            if (!Thread.currentThread().isInterrupted()) {
                return;
            }
            if (!interruptsDeferred) {
                throw new InterruptedIOException("interrupted while waiting for the connection");
            }
        }
    }

    /** Waits until the socket may take bytes again; may return earlier, so callers look again. Write lock held. */
    private void awaitWritable() throws IOException {
        try {
            Poller.await(channel, SelectionKey.OP_WRITE, Long.MAX_VALUE, writing);
        } catch (IOException cannotWait) {
            throw failed(cannotWait); // maybe in the middle of a frame: what follows could not be framed
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("interrupted while waiting for the connection to take a frame");
        }
    }

    /** Collects the rest of a large frame: what is buffered, then straight from the socket. */
    private void collect(LargeFrame frame) throws IOException {
        while (frame.filled < frame.length) {
            if (frame.filled == frame.payload.length) {
                frame.payload = java.util.Arrays.copyOf(frame.payload, (int) Math.min(frame.length, 2L * frame.payload.length));
            }
            int room = frame.payload.length - frame.filled;
            if (in.remaining() > 0) {
                int n = Math.min(in.remaining(), room);
                in.get(frame.payload, frame.filled, n);
                frame.filled += n;
                continue;
            }
            int n = readSocket(ByteBuffer.wrap(frame.payload, frame.filled, Math.min(IO_SLICE, room)));
            if (n < 0) {
                throw new EOFException("connection closed in the middle of a frame: "
                        + frame.filled + " of " + frame.length + " bytes arrived");
            }
            if (n == 0) {
                awaitReadable(Long.MAX_VALUE);
            }
            frame.filled += n;
        }
    }

    /**
     * A frame too large for the read buffer, collected in memory that grows as its bytes arrive:
     * never allocated at the size its header claims.
     */
    private static final class LargeFrame {
        final FrameKind kind;
        final int length;
        byte[] payload;
        int filled;

        LargeFrame(FrameKind kind, int length) {
            this.kind = kind;
            this.length = length;
            this.payload = new byte[Math.min(length, LARGE_FRAME_FIRST_ALLOCATION)];
        }
    }

    /**
     * Hands over the bytes read ahead but not yet consumed, waiting for a background read to
     * finish first; after this the caller reads the socket directly (see {@link Relay}).
     */
    ByteBuffer takeBuffered() throws IOException {
        lockForReading();
        try {
            LargeFrame started = large;
            int startedBytes = started == null ? 0 : HEADER_BYTES + started.filled;
            ByteBuffer rest = ByteBuffer.allocate(startedBytes + in.remaining());
            if (started != null) {
                rest.putInt(started.length).put(started.kind.code).put(started.payload, 0, started.filled);
                large = null;
            }
            rest.put(in).flip();
            in.clear().flip();
            return rest;
        } finally {
            readLock.unlock();
        }
    }

    /**
     * Reads bytes as they come, outside the frame format, waiting until some arrive: the count,
     * or -1 at the end of the stream. For a relay, after {@link #takeBuffered()}.
     */
    int readRaw(ByteBuffer into) throws IOException {
        lockForReading();
        try {
            for (;;) {
                int n = readSocket(into);
                if (n != 0) {
                    return n;
                }
                awaitReadable(Long.MAX_VALUE);
            }
        } finally {
            readLock.unlock();
        }
    }

    /** Writes all of {@code bytes} as they are, outside the frame format: for a relay, or a test's misbehaving peer. */
    public void writeRaw(ByteBuffer bytes) throws IOException {
        lockForWriting();
        try {
            drain(bytes);
        } catch (IOException e) {
            throw translate(e);
        } finally {
            writeLock.unlock();
        }
    }

    // ------------------------------------------------------------------ writing

    /** Writes one frame whose payload is {@code length} bytes of {@code payload} from {@code offset}. */
    public void write(FrameKind kind, byte[] payload, int offset, int length) throws IOException {
        checkSendable(length);
        lockForWriting();
        try {
            if (length <= BUFFER_BYTES) {
                out.reset();
                out.skip(HEADER_BYTES);
                out.write(payload, offset, length);
                putHeader(kind, length);
                writeFully(out.contents());
            } else {
                // A large payload goes out as it is, after its header: no copy.
                ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).putInt(length).put(kind.code).flip();
                writeFully(header, ByteBuffer.wrap(payload, offset, length));
            }
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Writes several frames with as few system calls as possible (one, if they fit the buffer):
     * how a batch of queue items goes out.
     */
    public void writeAll(java.util.List<Frame> frames) throws IOException {
        for (Frame frame : frames) {
            checkSendable(frame.payload().length);
        }
        lockForWriting();
        try {
            out.reset();
            for (Frame frame : frames) {
                int at = out.size();
                out.skip(HEADER_BYTES);
                out.write(frame.payload(), 0, frame.payload().length);
                out.putInt(at, frame.payload().length);
                out.putByte(at + 4, frame.kind().code);
            }
            writeFully(out.contents());
            out.shrinkTo(4 * BUFFER_BYTES);
        } finally {
            writeLock.unlock();
        }
    }

    /** Writes one frame whose payload {@code writer} produces (JSON encoded straight into the frame buffer). */
    public void write(FrameKind kind, PayloadWriter writer) throws IOException {
        lockForWriting();
        try {
            out.reset();
            out.skip(HEADER_BYTES);
            writer.writeTo(out);
            int length = out.size() - HEADER_BYTES;
            checkSendable(length);
            putHeader(kind, length);
            writeFully(out.contents());
            out.shrinkTo(4 * BUFFER_BYTES);
        } finally {
            writeLock.unlock();
        }
    }

    private void putHeader(FrameKind kind, int length) {
        out.putInt(0, length);
        out.putByte(4, kind.code);
    }

    private void checkSendable(long length) throws FrameTooLargeException {
        if (length > maxFrameBytes) {
            throw new FrameTooLargeException(length, maxFrameBytes);
        }
    }

    private void lockForWriting() throws InterruptedIOException {
        try {
            writeLock.lockInterruptibly();
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    private void writeFully(ByteBuffer... buffers) throws IOException {
        IOException reason = closedBecause;
        if (reason != null) {
            throw new IOException("connection is closed: " + reason.getMessage(), reason);
        }
        long total = remaining(buffers);
        try {
            if (total > IO_SLICE) {
                for (ByteBuffer buffer : buffers) {
                    writeInSlices(buffer);
                }
            } else if (buffers.length == 1) {
                drain(buffers[0]); // write(), not the gathering writev(): cheaper per call
            } else {
                ByteBuffer last = buffers[buffers.length - 1];
                while (last.hasRemaining()) {
                    if (channel.write(buffers) == 0) {
                        awaitWritable();
                    }
                }
            }
        } catch (InterruptedIOException e) {
            if (remaining(buffers) == total) {
                throw e; // nothing of the frame went out: the stream is as it was
            }
            throw failed(new InterruptedIOException("interrupted in the middle of sending a frame; the connection "
                    + "is closed, since its peer could not tell where the next frame begins"));
        } catch (IOException e) {
            throw translate(e);
        }
    }

    private static long remaining(ByteBuffer[] buffers) {
        long total = 0;
        for (ByteBuffer buffer : buffers) {
            total += buffer.remaining();
        }
        return total;
    }

    /** Writes a large buffer at most {@link #IO_SLICE} bytes a call (see there why). */
    private void writeInSlices(ByteBuffer buffer) throws IOException {
        int end = buffer.limit();
        try {
            while (buffer.hasRemaining()) {
                buffer.limit(Math.min(end, buffer.position() + IO_SLICE));
                drain(buffer);
                buffer.limit(end);
            }
        } finally {
            buffer.limit(end);
        }
    }

    /** Writes until {@code buffer} is empty, waiting whenever the socket takes nothing. */
    private void drain(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.write(buffer) == 0) {
                awaitWritable();
            }
        }
    }

    // ------------------------------------------------------------------ closing

    /** Whether the channel is still open. */
    public boolean isOpen() {
        return channel.isOpen();
    }

    /** Closes the socket; a thread blocked reading or writing gets an IOException. Idempotent. */
    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            afterClosing();
        }
    }

    /*
     * Wakes the threads waiting on the poller for this socket (after the close: see Poller.park),
     * and has the poller let go of it: a socket registered with a selector is closed for real,
     * its peer seeing the end of the stream, only when the selector next selects.
     */
    private void afterClosing() {
        reading.wakeUp();
        writing.wakeUp();
        if (channel.isRegistered()) {
            Poller.forget();
        }
    }

    /** Closes the channel because of {@code reason}, and returns it for throwing. */
    public <E extends IOException> E failed(E reason) {
        if (closedBecause == null) {
            closedBecause = reason;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing is all we wanted; the reason is what matters
        } finally {
            afterClosing();
        }
        return reason;
    }

    private IOException translate(IOException e) {
        if (e instanceof java.nio.channels.ClosedByInterruptException interrupted) {
            // an interrupted read or write: the JDK closed the channel, and the thread stays interrupted
            InterruptedIOException io = new InterruptedIOException("interrupted while waiting for the connection");
            io.initCause(interrupted);
            return io;
        }
        if (closedBecause != null) {
            return new IOException("connection is closed: " + closedBecause.getMessage(), closedBecause);
        }
        if (e instanceof AsynchronousCloseException || e instanceof ClosedChannelException) {
            IOException closed = new IOException("connection is closed");
            closed.initCause(e);
            return closed;
        }
        return e;
    }

    private static InterruptedIOException interrupted(InterruptedException e) {
        Thread.currentThread().interrupt();
        InterruptedIOException io = new InterruptedIOException("interrupted while waiting for the connection");
        io.initCause(e);
        return io;
    }
}

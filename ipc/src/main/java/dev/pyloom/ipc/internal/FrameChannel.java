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
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
    /** A read started by poll() that is still running; guarded by readLock. See poll(). */
    private CompletableFuture<ByteBuffer> backgroundRead;
    /** The virtual thread running {@link #backgroundRead}; guarded by readLock. */
    private Thread backgroundReader;
    /** The peer has closed its side; guarded by readLock. */
    private boolean endOfStream;

    private final ReentrantLock writeLock = new ReentrantLock();
    private final GrowableBuffer out = new GrowableBuffer(1024); // grows as frames need; guarded by writeLock

    /** Why this side closed the channel (a protocol error), reported to later callers. */
    private volatile IOException closedBecause;

    /**
     * Why this side stopped reading while writing goes on (a frame longer than a reader's
     * maximum, left unread inside the stream), reported to later readers.
     */
    private volatile IOException unreadableBecause;

    public FrameChannel(SocketChannel channel, int maxFrameBytes) {
        if (maxFrameBytes < 0) {
            throw new IllegalArgumentException("maximum frame size must not be negative: " + maxFrameBytes);
        }
        this.channel = channel;
        this.maxFrameBytes = maxFrameBytes;
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
                if (in.capacity() < BUFFER_BYTES && backgroundRead == null) {
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
     * @throws FrameTooLargeException, MalformedMessageException on a frame that breaks the
     *                      protocol; the channel is then closed
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
            requireReadable();
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
            byte[] payload;
            try {
                payload = readLarge(length);
            } catch (IOException e) {
                throw failed(e); // part of the frame is gone: this stream cannot be resumed
            }
            return reader.read(kind, payload, 0, length);
        } finally {
            readLock.unlock();
        }
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
            return read((kind, array, offset, length) -> array.length == length && array != in.array()
                    ? new Frame(kind, array)
                    : new Frame(kind, java.util.Arrays.copyOfRange(array, offset, offset + length)), maxLength);
        } finally {
            readLock.unlock();
        }
    }

    /**
     * Reads the next frame as {@link #readOwned()} does, on a helper virtual thread, and waits for
     * it without letting an interrupt abort the read (the interrupt stays set for the caller).
     * For a request whose reply must not be lost: the JDK closes a channel whose blocked reader is
     * interrupted.
     */
    public Frame readOwnedUninterruptibly() throws IOException {
        java.util.concurrent.CompletableFuture<Frame> reply = new java.util.concurrent.CompletableFuture<>();
        Thread.ofVirtual().name("pyloom-ipc-reply").start(() -> {
            try {
                reply.complete(readOwned());
            } catch (Throwable e) {
                reply.completeExceptionally(e);
            }
        });
        boolean interrupted = false;
        try {
            for (;;) {
                try {
                    return reply.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Waits at most {@code nanos} for a frame to be readable without blocking: a whole frame
     * buffered, or the end of the stream. A frame larger than the read buffer (64 KiB) counts as
     * readable once its header has arrived; reading it may then wait for the rest.
     *
     * <p>A blocking socket cannot wait with a timeout, so when nothing is buffered this starts a
     * read on a helper virtual thread and waits for that, with the timeout. If the time runs out
     * the read keeps going; whatever it brings in is merged into the buffer by the next reader,
     * so nothing is lost and nothing is read twice.
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
                if (frameReadable()) {
                    return true;
                }
                if (backgroundRead == null) {
                    backgroundRead = startBackgroundRead();
                }
                long remaining = deadline - System.nanoTime();
                try {
                    backgroundRead.get(Math.max(0, remaining), TimeUnit.NANOSECONDS);
                } catch (TimeoutException notYet) {
                    if (!settledWithData()) {
                        return false;
                    }
                } catch (ExecutionException failedRead) {
                    // reported by mergeBackgroundRead
                } catch (InterruptedException e) {
                    throw interrupted(e);
                }
                mergeBackgroundRead();
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
        if (endOfStream || closedBecause != null) {
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

    /** Reads whatever has arrived into the buffer; returns the count, or -1 at the end of the stream. */
    private int readMore() throws IOException {
        if (backgroundRead != null) {
            return mergeBackgroundRead();
        }
        if (endOfStream) {
            return -1;
        }
        in.compact();
        try {
            int n = channel.read(in);
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
        } finally {
            in.flip();
        }
    }

    /*
     * A poll whose time is up must still see bytes that were in the socket when it looked, as
     * Python's select() does: a zero-timeout poll right after the peer's send would otherwise
     * answer false whenever the background read had not been scheduled yet. So it waits, briefly,
     * until the read has either brought something or parked waiting for bytes (a virtual thread
     * reading a socket parks when the kernel has nothing for it).
     */
    private static final long SETTLE_NANOS = TimeUnit.MILLISECONDS.toNanos(20); // reached only when no carrier is free

    /** Whether the background read has finished once it has finished or waits for the kernel. */
    private boolean settledWithData() {
        long giveUp = System.nanoTime() + SETTLE_NANOS;
        while (!backgroundRead.isDone() && System.nanoTime() - giveUp < 0) {
            Thread.State state = backgroundReader.getState();
            if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING) {
                break; // parked in the read: nothing there now
            }
            Thread.yield();
        }
        return backgroundRead.isDone();
    }

    private CompletableFuture<ByteBuffer> startBackgroundRead() {
        // Sized to what the buffer can take after compaction, so merging never overflows it.
        ByteBuffer chunk = ByteBuffer.allocate(in.capacity() - in.remaining());
        CompletableFuture<ByteBuffer> result = new CompletableFuture<>();
        backgroundReader = Thread.ofVirtual().name("pyloom-ipc-poll").start(() -> {
            try {
                int n = channel.read(chunk);
                result.complete(n < 0 ? null : chunk.flip());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** Waits for the background read and appends what it brought; -1 at the end of the stream. */
    private int mergeBackgroundRead() throws IOException {
        CompletableFuture<ByteBuffer> pending = backgroundRead;
        ByteBuffer chunk;
        try {
            chunk = pending.get();
        } catch (InterruptedException e) {
            throw interrupted(e); // the read goes on; the next reader merges it
        } catch (ExecutionException e) {
            backgroundRead = null;
            throw e.getCause() instanceof IOException io ? translate(io) : new IOException(e.getCause());
        }
        backgroundRead = null;
        if (chunk == null) {
            endOfStream = true;
            return -1;
        }
        in.compact();
        in.put(chunk);
        in.flip();
        return chunk.limit();
    }

    /** A frame bigger than the read buffer, collected as its bytes arrive. */
    private byte[] readLarge(int length) throws IOException {
        byte[] payload = new byte[Math.min(length, LARGE_FRAME_FIRST_ALLOCATION)];
        int filled = 0;
        while (filled < length) {
            if (filled == payload.length) {
                payload = java.util.Arrays.copyOf(payload, (int) Math.min(length, 2L * payload.length));
            }
            if (in.remaining() > 0) {
                int n = Math.min(in.remaining(), payload.length - filled);
                in.get(payload, filled, n);
                filled += n;
            } else if (backgroundRead != null) {
                if (mergeBackgroundRead() < 0) {
                    throw truncated(filled, length);
                }
            } else {
                int n;
                try {
                    n = channel.read(ByteBuffer.wrap(payload, filled, Math.min(IO_SLICE, payload.length - filled)));
                } catch (IOException e) {
                    throw translate(e);
                }
                if (n < 0) {
                    endOfStream = true;
                    throw truncated(filled, length);
                }
                filled += n;
            }
        }
        return payload;
    }

    private IOException truncated(int got, int length) {
        return failed(new EOFException("connection closed in the middle of a frame: "
                + got + " of " + length + " bytes arrived"));
    }

    /**
     * Hands over the bytes read ahead but not yet consumed, waiting for a background read to
     * finish first; after this the caller reads the socket directly (see {@link Relay}).
     */
    ByteBuffer takeBuffered() throws IOException {
        lockForReading();
        try {
            if (backgroundRead != null) {
                mergeBackgroundRead();
            }
            ByteBuffer rest = ByteBuffer.allocate(in.remaining()).put(in).flip();
            in.clear().flip();
            return rest;
        } finally {
            readLock.unlock();
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
        try {
            long total = 0;
            for (ByteBuffer buffer : buffers) {
                total += buffer.remaining();
            }
            if (total > IO_SLICE) {
                for (ByteBuffer buffer : buffers) {
                    writeInSlices(buffer);
                }
                return;
            }
            if (buffers.length == 1) {
                ByteBuffer only = buffers[0]; // write(), not the gathering writev(): cheaper per call
                while (only.hasRemaining()) {
                    channel.write(only);
                }
                return;
            }
            ByteBuffer last = buffers[buffers.length - 1];
            while (last.hasRemaining()) {
                channel.write(buffers);
            }
        } catch (IOException e) {
            throw translate(e);
        }
    }

    /** Writes a large buffer at most {@link #IO_SLICE} bytes a call (see there why). */
    private void writeInSlices(ByteBuffer buffer) throws IOException {
        int end = buffer.limit();
        while (buffer.hasRemaining()) {
            buffer.limit(Math.min(end, buffer.position() + IO_SLICE));
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            buffer.limit(end);
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
        channel.close();
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

package dev.pyloom.asyncio.streams;

import dev.pyloom.asyncio.EventLoop;
import dev.pyloom.asyncio.Future;
import dev.pyloom.asyncio.internal.CarrierThreads;
import dev.pyloom.asyncio.internal.LoopAccess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Moves bytes between a loop's streams and a socket or a pipe: CPython's transport, built from
 * helper threads outside the loop, so that the loop itself never waits for I/O.
 *
 * <pre>
 *                                            ┌──────────────── the loop ────────────────┐
 *   sockets ─► IoSelector (one thread per loop) ─ one callSoonThreadsafe per round ─► StreamReader
 *   a pipe  ─► read pump (virtual thread, blocking read) ─ callSoonThreadsafe ─────► buffers ◄─ readLine()
 *
 *   socket or pipe ◄─ write pump (virtual thread) ◄─ WriteBuffer ◄─ StreamWriter.write()
 *                                                    (under lock)   drain() waits while
 *                                                                   queued > high water
 * </pre>
 *
 * <p><b>Writing</b> is a <em>write pump</em> per transport: an ordinary virtual thread (never one
 * of a carrier loop's) that takes whatever {@code write()} queued in the {@link WriteBuffer} and
 * writes it out, and tells the
 * loop when the queue has drained below the low-water mark so that {@code drain()} can return.
 * For a pipe it blocks in the write (the JDK parks it, not the loop); a socket is in non-blocking
 * mode, and when it is full the pump asks the selector to tell it when it drains. Measured on the
 * TCP echo benchmark, writing on the loop's own thread is slower: a loopback send does the
 * receiver's work too, and the pumps spread that over the other cores.
 *
 * <p><b>Reading</b> a socket is the loop's {@link IoSelector}: one thread reads every ready socket
 * of the loop and hands the loop all it read in a round at once. Reading a pipe is a <em>read
 * pump</em>, a virtual thread blocked in {@code read()}. Either way a chunk joins the reader's
 * buffer on the loop and wakes a waiting read; a reader over twice its limit pauses its source.
 *
 * <p>Why helper threads rather than a coroutine making the blocking call itself with the loop's
 * turn released around it: a coroutine waiting in a socket read could not be cancelled
 * (interrupting a virtual thread in socket I/O closes the socket), and {@code write()} must never
 * wait at all. Here every wait in a stream is a wait on a loop {@link Future}, exactly like a wait
 * on a queue or a lock, so cancellation, timeouts and the single-runner rule need nothing new.
 *
 * <p>The transport is closed once, by whichever comes first: {@code close()} (after the queued
 * bytes are written), a failure (the peer reset the connection, a write failed), or
 * {@code abort()}. Then the loop learns it in {@link #connectionLost}: the reader sees the end of
 * the stream or the failure, {@code drain()} callers are woken, {@code waitClosed()} returns.
 */
final class Transport {

    private static final LoopAccess ACCESS = LoopAccess.get();

    /** What a transport moves bytes over: a socket, or one pipe of a child process. */
    interface Endpoint extends AutoCloseable {
        /** Ends the output direction only ({@code writeEof}); a pipe just closes. */
        void shutdownOutput() throws IOException;

        /** Closes the endpoint; must make a pump blocked in a read or write return. */
        @Override
        void close() throws IOException;

        /** Python's {@code get_extra_info(name)}: {@code peername}, {@code sockname}, ...; null if unknown. */
        Object extraInfo(String name);
    }

    /* How much one read may take: a syscall's worth; bigger chunks waste memory on small messages. */
    private static final int READ_CHUNK = 64 * 1024;

    /*
     * How far the reading thread may run ahead of the loop: bytes read and handed to the loop
     * that the reader has not taken in yet. The reader pauses reading past twice its limit,
     * but it can only do so when the loop runs; this bounds what piles up meanwhile (a slow step
     * while a fast peer floods) to the reader's bound plus this.
     */
    static final int READ_AHEAD = 256 * 1024;

    /* The life of the transport. OPEN -> CLOSING (close() asked; queued bytes still going out)
     * -> CLOSED; OPEN -> CLOSED (failure, abort). Guarded by lock. */
    private enum State { OPEN, CLOSING, CLOSED }

    final EventLoop loop;
    private final Endpoint endpoint;
    private final InputStream in;   // null: nothing to read (a child's stdin), or a socket
    private final OutputStream out; // null: nothing to write (a child's stdout), or a socket
    private final SocketChannel channel; // a socket's, in non-blocking mode; null for a pipe
    private final IoSelector selector;   // reads the socket; null for a pipe
    private final boolean writes;        // there is a write pump

    // ---- only touched on the loop
    private StreamReader reader;
    private final Future<Void> closed;
    private Runnable onLost;
    /** What the loop calls if it closes first: abort(). One object, so that forget() finds it. */
    private final AutoCloseable abortOnLoopClose = this::abort;

    // ---- shared with the pumps
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition writerWork = lock.newCondition(); // bytes queued, or the state changed
    private final Condition readerWork = lock.newCondition(); // reading resumed, or the state changed
    private State state = State.OPEN;                         // guarded by lock
    private final WriteBuffer writeBuffer;                    // its queue guarded by lock
    private boolean eofRequested;   // guarded by lock
    private boolean closeRequested; // guarded by lock: close() or abort() was called
    private boolean readingPaused;  // guarded by lock
    private IOException failure;    // guarded by lock: why the transport closed, if it failed
    private boolean writeWaiting;   // guarded by lock: the write pump waits for a full socket to drain
    private boolean peerEnded;      // guarded by lock: the socket's peer ended its stream
    private long unconsumed;        // guarded by lock: read and sent to the loop, not yet in the reader

    /** A pipe's transport, read and written by pumps; {@link #start} sets them going. Call on the loop. */
    Transport(EventLoop loop, Endpoint endpoint, InputStream in, OutputStream out) {
        this.loop = loop;
        this.endpoint = endpoint;
        this.in = in;
        this.out = out;
        this.channel = null;
        this.selector = null;
        this.writes = out != null;
        this.closed = loop.createFuture();
        this.writeBuffer = new WriteBuffer(loop);
    }

    /**
     * A socket's transport: the loop's {@link IoSelector} reads it, a write pump writes it, both
     * without blocking ({@code channel} is in non-blocking mode). Call on the loop.
     */
    Transport(EventLoop loop, SocketEndpoint endpoint) {
        this.loop = loop;
        this.endpoint = endpoint;
        this.in = null;
        this.out = null;
        this.channel = endpoint.channel();
        this.selector = endpoint.selector();
        this.writes = true;
        this.closed = loop.createFuture();
        this.writeBuffer = new WriteBuffer(loop);
    }

    /**
     * Starts the pumps, feeding {@code reader} (null if nothing is read). From now on the loop
     * aborts the transport if the loop closes first.
     */
    void start(StreamReader reader) {
        if (!ACCESS.remember(loop, abortOnLoopClose)) {
            throw new IllegalStateException("Event loop is closed");
        }
        this.reader = reader;
        if (reader != null) {
            reader.transport = this;
            if (selector != null) {
                selector.register(channel, this);
            } else {
                CarrierThreads.ordinary().name("pyloom-asyncio-read-pump").start(this::pumpReads);
            }
        }
        if (writes) {
            CarrierThreads.ordinary().name("pyloom-asyncio-write-pump").start(this::pumpWrites);
        }
    }

    /** Runs {@code callback} on the loop once the connection is lost (a server counts its connections). */
    void onLost(Runnable callback) {
        this.onLost = callback;
    }

    Object extraInfo(String name) {
        return endpoint.extraInfo(name);
    }

    // =====================================================================================
    // The loop's side

    /**
     * Queues {@code data} for the write pump. Never blocks. Python's {@code transport.write}:
     * after the connection is lost the bytes are dropped (and {@link #drain} reports why).
     */
    void write(byte[] data, int offset, int length) {
        if (length == 0) {
            return;
        }
        lock.lock();
        try {
            if (closeRequested) {
                throw new IllegalStateException("Cannot call write() after close()");
            }
            if (eofRequested) {
                throw new IllegalStateException("Cannot call write() after writeEof()");
            }
            if (state == State.CLOSED) {
                return;
            }
            writeBuffer.add(data, offset, length);
            writerWork.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Python's {@code get_write_buffer_size()}: bytes queued and not yet written. */
    long writeBufferSize() {
        lock.lock();
        try {
            return writeBuffer.size();
        } finally {
            lock.unlock();
        }
    }

    /** Python's {@code set_write_buffer_limits(high, low)}; -1 means Python's default for that limit. */
    void setWriteBufferLimits(int high, int low) {
        boolean resumed;
        lock.lock();
        try {
            resumed = writeBuffer.setLimits(high, low);
        } finally {
            lock.unlock();
        }
        if (resumed) {
            writeBuffer.resumeWriting(); // on the loop: StreamWriter checked
        }
    }

    /**
     * Waits while the queued bytes are over the high-water mark, until they are at or under the
     * low-water mark. Python's {@code StreamWriter.drain()}. An await point only when it waits.
     */
    void drain() throws IOException {
        boolean mustWait;
        IOException failed;
        lock.lock();
        try {
            mustWait = writeBuffer.isPaused();
            failed = failure;
        } finally {
            lock.unlock();
        }
        if (failed != null) {
            throw failed;
        }
        writeBuffer.drain(mustWait);
    }

    /** Python's {@code write_eof()}: after the queued bytes, the peer reads the end of the stream. */
    void writeEof() {
        lock.lock();
        try {
            if (state == State.OPEN && !eofRequested) {
                eofRequested = true;
                writerWork.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    boolean isClosing() {
        lock.lock();
        try {
            return state != State.OPEN;
        } finally {
            lock.unlock();
        }
    }

    /** Python's {@code transport.close()}: the queued bytes are written first. Never blocks. */
    void close() {
        boolean now;
        lock.lock();
        try {
            closeRequested = true;
            if (state != State.OPEN) {
                return;
            }
            state = State.CLOSING;
            now = !writes; // no write pump to flush and close
            writerWork.signal();
            readerWork.signal();
        } finally {
            lock.unlock();
        }
        if (now) {
            closeEndpoint(null);
        }
    }

    /** Python's {@code transport.abort()}: closes at once, dropping what is queued. */
    void abort() {
        lock.lock();
        try {
            closeRequested = true;
        } finally {
            lock.unlock();
        }
        closeEndpoint(null);
    }

    /**
     * The other end is gone for good (the child process at the other end of this pipe exited):
     * the transport closes as if a write had failed with {@code cause}, from any state, without
     * making a later write() an error (it is dropped, as writes to a lost connection are).
     */
    void peerGone(IOException cause) {
        fail(cause);
    }

    /** Python's {@code wait_closed()}: until the connection is lost. An await point. */
    void waitClosed() {
        if (!closed.done()) {
            ACCESS.awaitDone("waitClosed", closed);
        }
    }

    /** Called by the reader as its buffer outgrows twice its limit, and as it shrinks back. */
    void pauseReading(boolean paused) {
        lock.lock();
        try {
            readingPaused = paused;
            if (!paused) {
                readerWork.signal();
            }
        } finally {
            lock.unlock();
        }
        if (selector != null) {
            selector.interest(channel, this);
        }
    }

    // =====================================================================================
    // The selector's side (sockets): IoSelector calls these

    /** What the selector should wait for on this socket now. On the selector thread. */
    int interestOps() {
        lock.lock();
        try {
            return (readingPaused || peerEnded || unconsumed >= READ_AHEAD ? 0 : java.nio.channels.SelectionKey.OP_READ)
                    | (writeWaiting ? java.nio.channels.SelectionKey.OP_WRITE : 0);
        } finally {
            lock.unlock();
        }
    }

    /** On the loop, in the selector's batch: bytes read from the socket. */
    void dataReceived(byte[] data) {
        reader.feedDataFromTransport(data);
        consumed(data.length);
    }

    /**
     * On the reading thread (the selector, or a pipe's read pump): {@code n} more bytes are on
     * their way to the loop. Returns whether reading must now wait for the loop to take them in.
     */
    boolean readAhead(int n) {
        lock.lock();
        try {
            unconsumed += n;
            return unconsumed >= READ_AHEAD;
        } finally {
            lock.unlock();
        }
    }

    /* On the loop: the reader took in n bytes; if reading waited for that, it goes on. */
    private void consumed(int n) {
        boolean resume;
        lock.lock();
        try {
            resume = unconsumed >= READ_AHEAD && unconsumed - n < READ_AHEAD;
            unconsumed -= n;
            if (resume) {
                readerWork.signal();
            }
        } finally {
            lock.unlock();
        }
        if (resume && selector != null) {
            selector.interest(channel, this);
        }
    }

    /** On the loop, in the selector's batch: the peer ended its stream (the writer stays open). */
    void eofReceived() {
        reader.feedEofFromTransport();
    }

    /** On the selector thread: the peer ended its stream; stop asking whether it is readable. */
    void sawEof() {
        lock.lock();
        try {
            peerEnded = true;
        } finally {
            lock.unlock();
        }
    }

    /** On the selector thread: reading failed (the peer reset the connection). */
    void failFromSelector(IOException e) {
        fail(e);
    }

    /** On the selector thread: the socket the write pump waits for has room again. */
    void writable() {
        lock.lock();
        try {
            writeWaiting = false;
            writerWork.signal();
        } finally {
            lock.unlock();
        }
    }

    /*
     * On the loop, once: CPython's protocol.connection_lost(exc). The reader gets the end of the
     * stream, or the failure; drain() callers wake (and throw); waitClosed() returns.
     */
    private void connectionLost(IOException cause) {
        if (reader != null) {
            if (cause == null) {
                reader.feedEofFromTransport();
            } else {
                reader.setException(cause);
            }
        }
        writeBuffer.connectionLost(cause);
        closed.setResult(null);
        if (onLost != null) {
            onLost.run();
        }
    }

    // =====================================================================================
    // The pumps' side: ordinary virtual threads, outside the loop (a pipe's read pump; every write pump)

    private void pumpReads() {
        byte[] chunk = new byte[READ_CHUNK];
        try {
            while (waitUntilReadingMayGoOn()) {
                int n = in.read(chunk);
                if (n < 0) {
                    post(reader::feedEofFromTransport);
                    if (out == null) {
                        closeEndpoint(null); // a read-only pipe is done: as CPython's, it closes at EOF
                    }
                    return;
                }
                byte[] data = Arrays.copyOf(chunk, n);
                readAhead(n);
                post(() -> {
                    reader.feedDataFromTransport(data);
                    consumed(n);
                });
            }
        } catch (IOException e) {
            fail(e); // the peer reset, or we closed the endpoint (then fail() does nothing)
        }
    }

    private boolean waitUntilReadingMayGoOn() {
        lock.lock();
        try {
            while ((readingPaused || unconsumed >= READ_AHEAD) && state == State.OPEN) {
                readerWork.awaitUninterruptibly();
            }
            return state != State.CLOSED;
        } finally {
            lock.unlock();
        }
    }

    private void pumpWrites() {
        try {
            boolean eofWritten = false;
            for (;;) {
                byte[] chunk;
                boolean shutOutput = false;
                lock.lock();
                try {
                    while (writeBuffer.isEmpty() && state == State.OPEN && (eofWritten || !eofRequested)) {
                        writerWork.awaitUninterruptibly();
                    }
                    if (state == State.CLOSED) {
                        return;
                    }
                    chunk = writeBuffer.take();
                    if (chunk == null) {
                        if (state == State.CLOSING) {
                            break; // everything is written: close
                        }
                        shutOutput = true;
                    }
                } finally {
                    lock.unlock();
                }
                if (shutOutput) {
                    endpoint.shutdownOutput();
                    eofWritten = true;
                    continue;
                }
                writeOut(chunk);
                written(chunk.length);
            }
            closeEndpoint(null);
        } catch (IOException e) {
            fail(e);
        }
    }

    private void writeOut(byte[] chunk) throws IOException {
        if (channel == null) {
            out.write(chunk); // a pipe: the pump blocks here while the child does not read
            out.flush();      // a child's stdin is buffered
            return;
        }
        ByteBuffer bytes = ByteBuffer.wrap(chunk);
        while (bytes.hasRemaining()) {
            if (channel.write(bytes) == 0) {
                awaitWritable(); // the socket is full: the peer is not reading
            }
        }
    }

    /* The socket's send buffer is full: ask the selector to say when it drains, and wait. */
    private void awaitWritable() {
        lock.lock();
        try {
            writeWaiting = true;
        } finally {
            lock.unlock();
        }
        selector.interest(channel, this);
        lock.lock();
        try {
            while (writeWaiting && state != State.CLOSED) {
                writerWork.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
    }

    private void written(int n) {
        boolean resumed;
        lock.lock();
        try {
            resumed = writeBuffer.written(n);
        } finally {
            lock.unlock();
        }
        if (resumed) {
            post(writeBuffer::resumeWriting);
        }
    }

    /**
     * A pump's I/O failed: unless the transport is closed already (our own abort, or the close
     * that follows a flush, made the call fail), that is why it closes. A failure while CLOSING
     * (the peer reset while the queued bytes were going out) closes it too, as in CPython:
     * otherwise the endpoint would stay open and waitClosed() and drain() would wait forever.
     */
    private void fail(IOException e) {
        lock.lock();
        try {
            if (state == State.CLOSED) {
                return;
            }
            failure = e;
        } finally {
            lock.unlock();
        }
        closeEndpoint(e);
    }

    /** Closes the endpoint once, from any thread, and tells the loop. */
    private void closeEndpoint(IOException cause) {
        lock.lock();
        try {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            writeBuffer.clear();
            writerWork.signal();
            readerWork.signal();
        } finally {
            lock.unlock();
        }
        try {
            endpoint.close();
        } catch (IOException ignored) {
            // closing is all we wanted; there is nobody to tell
        }
        ACCESS.forget(loop, abortOnLoopClose);
        post(() -> connectionLost(cause));
    }

    private void post(Runnable onLoop) {
        ACCESS.callSoonThreadsafeIfOpen(loop, onLoop);
    }
}

package dev.pyloom.asyncio.streams;

import dev.pyloom.asyncio.Asyncio;
import dev.pyloom.asyncio.EventLoop;
import dev.pyloom.asyncio.Future;
import dev.pyloom.asyncio.internal.CarrierThreads;
import dev.pyloom.asyncio.internal.LoopAccess;
import java.io.IOException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Moves bytes between a loop's streams and a socket or a pipe: CPython's transport, built from
 * helper threads outside the loop, so that the loop itself never waits for I/O. There are two
 * kinds, as in CPython's {@code selector_events.py} and {@code unix_events.py}: a
 * {@link SocketTransport}, read by the loop's {@link IoSelector}, and a {@link PipeTransport} for
 * one pipe of a child process. This class is what they share: the life of the transport, the
 * write pump and its {@link WriteBuffer}, and the bound on reading ahead of the loop.
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
 * of a carrier loop's) that takes whatever {@code write()} queued and writes it out
 * ({@link #writeOut}: a pipe blocks, a socket waits for its selector), and tells the loop when the
 * queue has drained below the low-water mark so that {@code drain()} can return. Measured on the
 * TCP echo benchmark, writing on the loop's own thread is slower: a loopback send does the
 * receiver's work too, and the pumps spread that over the other cores.
 *
 * <p><b>Reading</b> is a thread outside the loop as well: the selector for a socket, a read pump
 * for a pipe. Either way a chunk joins the reader's buffer on the loop ({@link #dataReceived}) and
 * wakes a waiting read; a reader over twice its limit pauses its source.
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
abstract sealed class Transport permits SocketTransport, PipeTransport {

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
    private final boolean writes; // there is a write pump

    // ---- only touched on the loop
    private StreamReader reader;
    private final Future<Void> closed;
    private Runnable onLost;
    /** What the loop calls if it closes first: abort(). One object, so that forget() finds it. */
    private final AutoCloseable abortOnLoopClose = this::abort;

    // ---- shared with the reading and writing threads
    final ReentrantLock lock = new ReentrantLock();
    final Condition writerWork = lock.newCondition();         // bytes queued, or the state changed
    private final Condition readerWork = lock.newCondition(); // reading resumed, or the state changed
    private State state = State.OPEN;                         // guarded by lock
    private final WriteBuffer writeBuffer;                    // its queue guarded by lock
    private boolean eofRequested;   // guarded by lock
    private boolean closeRequested; // guarded by lock: close() or abort() was called
    private boolean readingPaused;  // guarded by lock
    private IOException failure;    // guarded by lock: why the transport closed, if it failed
    private long unconsumed;        // guarded by lock: read and sent to the loop, not yet in the reader

    /** A transport over {@code endpoint}, with a write pump if it {@code writes}. Call on the loop. */
    Transport(EventLoop loop, Endpoint endpoint, boolean writes) {
        this.loop = loop;
        this.endpoint = endpoint;
        this.writes = writes;
        this.closed = loop.createFuture();
        this.writeBuffer = new WriteBuffer(loop);
    }

    /**
     * Starts the reading thread and the write pump, feeding {@code reader} (null if nothing is
     * read). From now on the loop aborts the transport if the loop closes first.
     */
    final void start(StreamReader reader) {
        if (!ACCESS.remember(loop, abortOnLoopClose)) {
            throw new IllegalStateException("Event loop is closed");
        }
        this.reader = reader;
        if (reader != null) {
            reader.transport = this;
            startReading();
        }
        if (writes) {
            CarrierThreads.ordinary().name("pyloom-asyncio-write-pump").start(this::pumpWrites);
        }
    }

    /** Sets the reading thread going, once a reader is set. On the loop, from {@link #start}. */
    abstract void startReading();

    /**
     * Writes all of {@code chunk}, on the write pump: it may block the pump (never the loop)
     * until the endpoint takes the bytes.
     */
    abstract void writeOut(byte[] chunk) throws IOException;

    /**
     * Outside the lock, after {@link #readingMustWait} may have changed. A reading thread that
     * waits in {@link #awaitReadingMayGoOn} is signalled already; one that does not hears it here.
     */
    abstract void readingConditionChanged();

    /** Runs {@code callback} on the loop once the connection is lost (a server counts its connections). */
    final void onLost(Runnable callback) {
        this.onLost = callback;
    }

    final Object extraInfo(String name) {
        return endpoint.extraInfo(name);
    }

    // =====================================================================================
    // The loop's side

    /**
     * Queues {@code data} for the write pump. Never blocks. Python's {@code transport.write}:
     * after the connection is lost the bytes are dropped (and {@link #drain} reports why).
     */
    final void write(byte[] data, int offset, int length) {
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
    final long writeBufferSize() {
        lock.lock();
        try {
            return writeBuffer.size();
        } finally {
            lock.unlock();
        }
    }

    /** Python's {@code set_write_buffer_limits(high, low)}; -1 means Python's default for that limit. */
    final void setWriteBufferLimits(int high, int low) {
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
    final void drain() throws IOException {
        boolean mustWait;
        do {
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
            // Woken, it looks again: the pump posts "resumed" to the loop, and one posted for
            // bytes written before this drain's own write may arrive after writing paused anew.
            writeBuffer.drain(mustWait);
        } while (mustWait);
    }

    /** Python's {@code write_eof()}: after the queued bytes, the peer reads the end of the stream. */
    final void writeEof() {
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

    final boolean isClosing() {
        lock.lock();
        try {
            return state != State.OPEN;
        } finally {
            lock.unlock();
        }
    }

    /** Python's {@code transport.close()}: the queued bytes are written first. Never blocks. */
    final void close() {
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
    final void abort() {
        lock.lock();
        try {
            closeRequested = true;
        } finally {
            lock.unlock();
        }
        closeEndpoint(null);
    }

    /** Python's {@code wait_closed()}: until the connection is lost. An await point. */
    final void waitClosed() {
        if (!closed.done()) {
            // Shielded, as every waiter shares the end: a cancelled wait ends that wait only.
            ACCESS.awaitDone("waitClosed", Asyncio.shield(closed));
        }
    }

    /** Called by the reader as its buffer outgrows twice its limit, and as it shrinks back. */
    final void pauseReading(boolean paused) {
        lock.lock();
        try {
            readingPaused = paused;
            if (!paused) {
                readerWork.signal();
            }
        } finally {
            lock.unlock();
        }
        readingConditionChanged();
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
    // Reading: a thread outside the loop hands it chunks, at most READ_AHEAD ahead of it

    /**
     * Whether the reading thread must wait before it reads more: the reader asked for a pause,
     * or the loop has yet to take in what was read. Holds lock.
     */
    final boolean readingMustWait() {
        return readingPaused || unconsumed >= READ_AHEAD;
    }

    /**
     * For a reading thread that blocks (a pipe's read pump): waits while reading must wait and
     * the transport is open; returns whether the transport is still not closed.
     */
    final boolean awaitReadingMayGoOn() {
        lock.lock();
        try {
            while (readingMustWait() && state == State.OPEN) {
                readerWork.awaitUninterruptibly();
            }
            return state != State.CLOSED;
        } finally {
            lock.unlock();
        }
    }

    /**
     * On the reading thread: {@code n} more bytes are on their way to the loop. Returns whether
     * reading must now wait for the loop to take them in.
     */
    final boolean readAhead(int n) {
        lock.lock();
        try {
            unconsumed += n;
            return unconsumed >= READ_AHEAD;
        } finally {
            lock.unlock();
        }
    }

    /** On the loop: bytes the reading thread read. */
    final void dataReceived(byte[] data) {
        reader.feedDataFromTransport(data);
        consumed(data.length);
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
        if (resume) {
            readingConditionChanged();
        }
    }

    /** On the loop: the peer ended its stream. */
    final void eofReceived() {
        reader.feedEofFromTransport();
    }

    // =====================================================================================
    // Writing: the write pump, an ordinary virtual thread outside the loop

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

    // =====================================================================================
    // Closing: once, from any thread

    /** Whether the transport is closed. Holds lock. */
    final boolean isClosed() {
        return state == State.CLOSED;
    }

    /**
     * I/O failed: unless the transport is closed already (our own abort, or the close that
     * follows a flush, made the call fail), that is why it closes. A failure while CLOSING (the
     * peer reset while the queued bytes were going out) closes it too, as in CPython: otherwise
     * the endpoint would stay open and waitClosed() and drain() would wait forever.
     */
    final void fail(IOException e) {
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
    final void closeEndpoint(IOException cause) {
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

    /** Runs {@code onLoop} on the loop soon, unless the loop is closed. Any thread. */
    final void post(Runnable onLoop) {
        ACCESS.callSoonThreadsafeIfOpen(loop, onLoop);
    }
}

package dev.pyloom.asyncio;

import dev.pyloom.asyncio.internal.CarrierThreads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Moves bytes between a loop's streams and a socket or a pipe: CPython's transport, built on
 * blocking I/O in virtual threads outside the loop.
 *
 * <pre>
 *                      ┌──────────── the loop ────────────┐
 *   socket ─► read pump ─callSoonThreadsafe─► StreamReader.buffer ◄─ read(), readLine() ...
 *   (JDK poller parks                        (pauses the pump above 2 × limit)
 *    the pump, not the loop)
 *   socket ◄─ write pump ◄─ pending bytes ◄─ StreamWriter.write()    drain() waits while
 *                            (locked: both sides touch them)          pending > high water
 * </pre>
 *
 * <p>Each direction has a <em>pump</em>: an ordinary virtual thread (never one of a carrier
 * loop's) that makes blocking calls. A blocking socket call on a virtual thread parks it on the
 * JDK's I/O poller, so a thousand idle connections cost a thousand parked pumps and no carrier.
 * The loop never blocks: the read pump hands each chunk it reads to the loop with
 * {@code callSoonThreadsafe}, where it joins the reader's buffer and wakes a waiting read; the
 * write pump takes whatever {@code write()} queued and writes it out, and tells the loop when the
 * queue has drained below the low-water mark so that {@code drain()} can return.
 *
 * <p>Why pumps rather than a coroutine making the blocking call itself with the loop's turn
 * released around it: a coroutine waiting in a socket read could not be cancelled (interrupting
 * a virtual thread in socket I/O closes the socket), and {@code write()} must never wait at all.
 * With pumps every wait in a stream is a wait on a loop {@link Future}, exactly like a wait on a
 * queue or a lock, so cancellation, timeouts and the single-runner rule need nothing new.
 *
 * <p>The transport is closed once, by whichever comes first: {@code close()} (after the queued
 * bytes are written), a failure (the peer reset the connection, a write failed), or
 * {@code abort()}. Then the loop learns it in {@link #connectionLost}: the reader sees the end of
 * the stream or the failure, {@code drain()} callers are woken, {@code waitClosed()} returns.
 */
final class Transport {

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
     * Python's default write-buffer limits: writers are paused above 64 KiB queued and resumed
     * at 16 KiB. Higher means fewer pauses and more memory per slow peer.
     */
    static final int DEFAULT_HIGH_WATER = 64 * 1024;

    /* How much one read may take: a syscall's worth; bigger chunks waste memory on small messages. */
    private static final int READ_CHUNK = 64 * 1024;

    /* The life of the transport. OPEN -> CLOSING (close() asked; queued bytes still going out)
     * -> CLOSED; OPEN -> CLOSED (failure, abort). Guarded by lock. */
    private enum State { OPEN, CLOSING, CLOSED }

    final EventLoop loop;
    private final Endpoint endpoint;
    private final InputStream in;   // null: nothing to read (a child's stdin)
    private final OutputStream out; // null: nothing to write (a child's stdout)

    // ---- only touched on the loop
    private StreamReader reader;
    private final Future<Void> closed;
    private final List<Future<Void>> drainWaiters = new ArrayList<>(1);
    private IOException lostCause;
    private boolean lost;
    private Runnable onLost;
    /** What the loop calls if it closes first: abort(). One object, so that forget() finds it. */
    private final AutoCloseable abortOnLoopClose = this::abort;

    // ---- shared with the pumps
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition writerWork = lock.newCondition(); // bytes queued, or the state changed
    private final Condition readerWork = lock.newCondition(); // reading resumed, or the state changed
    private State state = State.OPEN;                         // guarded by lock
    private final ArrayDeque<byte[]> pending = new ArrayDeque<>(); // guarded by lock
    private long buffered;          // guarded by lock: queued plus being written
    private int highWater = DEFAULT_HIGH_WATER;     // guarded by lock
    private int lowWater = DEFAULT_HIGH_WATER / 4;  // guarded by lock
    private boolean writingPaused;  // guarded by lock: buffered went over highWater, not yet under lowWater
    private boolean eofRequested;   // guarded by lock
    private boolean closeRequested; // guarded by lock: close() or abort() was called
    private boolean readingPaused;  // guarded by lock
    private IOException failure;    // guarded by lock: why the transport closed, if it failed

    /** A transport on the loop; {@link #start} sets its pumps going. Call on the loop. */
    Transport(EventLoop loop, Endpoint endpoint, InputStream in, OutputStream out) {
        this.loop = loop;
        this.endpoint = endpoint;
        this.in = in;
        this.out = out;
        this.closed = loop.createFuture();
    }

    /**
     * Starts the pumps, feeding {@code reader} (null if nothing is read). From now on the loop
     * aborts the transport if the loop closes first.
     */
    void start(StreamReader reader) {
        if (!loop.remember(abortOnLoopClose)) {
            throw new IllegalStateException("Event loop is closed");
        }
        this.reader = reader;
        if (reader != null) {
            reader.transport = this;
            CarrierThreads.ordinary().name("pyloom-asyncio-read-pump").start(this::pumpReads);
        }
        if (out != null) {
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
            pending.add(Arrays.copyOfRange(data, offset, offset + length)); // the caller may reuse its array
            buffered += length;
            if (buffered > highWater) {
                writingPaused = true;
            }
            writerWork.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Python's {@code get_write_buffer_size()}: bytes queued and not yet written. */
    long writeBufferSize() {
        lock.lock();
        try {
            return buffered;
        } finally {
            lock.unlock();
        }
    }

    /** Python's {@code set_write_buffer_limits(high, low)}; -1 means Python's default for that limit. */
    void setWriteBufferLimits(int high, int low) {
        int h = high >= 0 ? high : (low >= 0 ? 4 * low : DEFAULT_HIGH_WATER);
        int l = low >= 0 ? low : h / 4;
        if (h < l) {
            throw new IllegalArgumentException("high (" + h + ") must be >= low (" + l + ") must be >= 0");
        }
        lock.lock();
        try {
            highWater = h;
            lowWater = l;
            writingPaused = buffered > highWater;
        } finally {
            lock.unlock();
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
            mustWait = writingPaused;
            failed = failure;
        } finally {
            lock.unlock();
        }
        if (failed != null) {
            throw failed;
        }
        if (lost) {
            throw new IOException("Connection lost");
        }
        if (!mustWait) {
            return;
        }
        // The pump's "resumed" message runs on the loop, after this waiter is in the list.
        Future<Void> waiter = loop.createFuture();
        drainWaiters.add(waiter);
        try {
            EventLoop.currentTask("drain").awaitDone(waiter);
        } finally {
            drainWaiters.remove(waiter);
        }
        if (lostCause != null) {
            throw lostCause;
        }
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
            now = out == null; // no write pump to flush and close
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

    /** Python's {@code wait_closed()}: until the connection is lost. An await point. */
    void waitClosed() {
        if (!closed.done()) {
            EventLoop.currentTask("waitClosed").awaitDone(closed);
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
    }

    /*
     * On the loop, once: CPython's protocol.connection_lost(exc). The reader gets the end of the
     * stream, or the failure; drain() callers wake (and throw); waitClosed() returns.
     */
    private void connectionLost(IOException cause) {
        lost = true;
        lostCause = cause;
        if (reader != null) {
            if (cause == null) {
                reader.feedEofFromTransport();
            } else {
                reader.setException(cause);
            }
        }
        resumeDrainers();
        closed.completeWith(null);
        if (onLost != null) {
            onLost.run();
        }
    }

    private void resumeDrainers() {
        for (Future<Void> waiter : List.copyOf(drainWaiters)) {
            if (!waiter.done()) {
                waiter.completeWith(null);
            }
        }
    }

    // =====================================================================================
    // The pumps' side: ordinary virtual threads, outside the loop

    private void pumpReads() {
        byte[] chunk = new byte[READ_CHUNK];
        try {
            while (waitUntilReadingMayGoOn()) {
                int n = in.read(chunk);
                if (n < 0) {
                    post(reader::feedEofFromTransport); // half-closed: the writer stays open
                    return;
                }
                byte[] data = Arrays.copyOf(chunk, n);
                post(() -> reader.feedDataFromTransport(data));
            }
        } catch (IOException e) {
            fail(e); // the peer reset, or we closed the endpoint (then fail() does nothing)
        }
    }

    private boolean waitUntilReadingMayGoOn() {
        lock.lock();
        try {
            while (readingPaused && state == State.OPEN) {
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
                    while (pending.isEmpty() && state == State.OPEN && (eofWritten || !eofRequested)) {
                        writerWork.awaitUninterruptibly();
                    }
                    if (state == State.CLOSED) {
                        return;
                    }
                    chunk = takePending();
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
                out.write(chunk);
                out.flush(); // a child's stdin is buffered
                written(chunk.length);
            }
            closeEndpoint(null);
        } catch (IOException e) {
            fail(e);
        }
    }

    /** All the queued bytes in one array (one syscall for many small writes), or null. Holds lock. */
    private byte[] takePending() {
        if (pending.size() <= 1) {
            return pending.poll();
        }
        byte[] all = new byte[(int) Math.min(Integer.MAX_VALUE - 8, buffered)];
        int at = 0;
        while (!pending.isEmpty() && at + pending.peek().length <= all.length) {
            byte[] next = pending.poll();
            System.arraycopy(next, 0, all, at, next.length);
            at += next.length;
        }
        return at == all.length ? all : Arrays.copyOf(all, at);
    }

    private void written(int n) {
        boolean resumed = false;
        lock.lock();
        try {
            buffered -= n;
            if (writingPaused && buffered <= lowWater) {
                writingPaused = false;
                resumed = true;
            }
        } finally {
            lock.unlock();
        }
        if (resumed) {
            post(this::resumeDrainers);
        }
    }

    /** A pump's I/O failed: unless the transport was closing anyway, that is why it closes. */
    private void fail(IOException e) {
        lock.lock();
        try {
            if (state != State.OPEN) {
                return; // our own close() or abort() made the call fail
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
            pending.clear();
            buffered = 0;
            writingPaused = false;
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
        loop.forget(abortOnLoopClose);
        post(() -> connectionLost(cause));
    }

    private void post(Runnable onLoop) {
        loop.callSoonThreadsafeIfOpen(onLoop);
    }
}

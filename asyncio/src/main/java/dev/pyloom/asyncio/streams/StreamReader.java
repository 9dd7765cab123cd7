package dev.pyloom.asyncio.streams;

import dev.pyloom.asyncio.CancelledException;
import dev.pyloom.asyncio.EventLoop;
import dev.pyloom.asyncio.Future;
import dev.pyloom.asyncio.internal.ByteQueue;
import dev.pyloom.asyncio.internal.LoopAccess;
import java.io.IOException;
import java.util.Objects;

/**
 * The reading end of a connection or a child's pipe: Python's {@code asyncio.StreamReader}.
 *
 * <p>Bytes arrive in a buffer on the loop (the loop's selector thread reads them from the socket,
 * a pump thread from a pipe, and hands them over, see {@code Transport}); the read methods take from that buffer, and when it does not hold
 * what they need they wait for more, letting the loop run other coroutines meanwhile. Every read
 * method is therefore an await point <em>when it waits</em>, and returns at once when the buffer
 * already has the answer, as in Python. A waiting read may be cancelled or timed out like any
 * other await: the bytes it was waiting for stay in the buffer for the next read. (Except
 * {@code read(-1)}, which takes the stream in blocks until its end: what it had taken before it
 * was cancelled is lost with it, as in CPython.)
 *
 * <pre>{@code
 * Connection c = Streams.openConnection("127.0.0.1", 8888);
 * c.writer().write("ping\n".getBytes(US_ASCII));
 * byte[] line = c.reader().readLine();           // "pong\n", or what arrived before EOF
 * }</pre>
 *
 * <p>The buffer holds at most about twice the <em>limit</em> (64 KiB by default): beyond that the
 * transport stops reading from the socket until reads have taken the buffer back under the limit, so a
 * fast peer cannot fill the memory. While a coroutine holds the loop (the mistake debug mode
 * reports) the reading thread may run up to {@code Transport.READ_AHEAD} (256 KiB) further ahead. {@link #readUntil} and {@link #readLine} refuse a line longer
 * than the limit.
 *
 * <p>Like every loop object it is not thread-safe: only the loop's coroutines and callbacks may
 * call it; others throw {@link IllegalStateException}. At most one coroutine may wait on a reader
 * at a time.
 */
public final class StreamReader {

    private static final LoopAccess ACCESS = LoopAccess.get();

    /** Python's {@code asyncio.streams._DEFAULT_LIMIT}: 64 KiB. */
    public static final int DEFAULT_LIMIT = 64 * 1024;

    private final EventLoop loop;
    private final int limit;

    // ---- only touched on the loop
    private final ByteQueue buffer = new ByteQueue();
    private boolean eof;
    private IOException exception;
    private Future<Void> waiter;
    /** Set by the transport that feeds this reader; null for a reader fed by hand. */
    Transport transport;
    /** The transport was told to stop reading (the buffer is over twice the limit). */
    private boolean paused;

    /**
     * A reader on the running loop, fed by hand with {@link #feedData} and {@link #feedEof}. Python's
     * {@code StreamReader()}.
     *
     * @throws IllegalStateException if no loop is running in the calling thread
     */
    public StreamReader() {
        this(DEFAULT_LIMIT);
    }

    /**
     * A reader with a buffer limit: see the class comment.
     *
     * @throws IllegalArgumentException if {@code limit} is not positive
     * @throws IllegalStateException    if no loop is running in the calling thread
     */
    public StreamReader(int limit) {
        this(ACCESS.running("StreamReader()"), limit);
    }

    StreamReader(EventLoop loop, int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("Limit cannot be <= 0, got " + limit);
        }
        this.loop = loop;
        this.limit = limit;
    }

    // =====================================================================================
    // Feeding (the transport, or the user of a hand-fed reader)

    /**
     * Adds bytes to the buffer and wakes a waiting read. Python's {@code feed_data}.
     *
     * @throws IllegalStateException if {@link #feedEof()} was called
     */
    public void feedData(byte[] data) {
        Objects.requireNonNull(data, "data");
        ACCESS.requireLoopThread(loop, "feedData");
        if (eof) {
            throw new IllegalStateException("feedData after feedEof");
        }
        append(data);
    }

    /** Marks the end of the stream and wakes a waiting read. Python's {@code feed_eof}. */
    public void feedEof() {
        ACCESS.requireLoopThread(loop, "feedEof");
        eof = true;
        wakeWaiter();
    }

    /**
     * Makes every read from now on throw {@code exception} (an {@link IOException} as it is,
     * anything else wrapped in one). Python's {@code set_exception}.
     */
    public void setException(Throwable exception) {
        Objects.requireNonNull(exception, "exception");
        ACCESS.requireLoopThread(loop, "setException");
        this.exception = exception instanceof IOException io ? io : new IOException(exception);
        wakeWaiter();
    }

    /** The exception set by {@link #setException}, or null. Python's {@code exception()}. */
    public IOException exception() {
        return exception;
    }

    /** The transport's chunk, unless the stream already ended (a chunk read as we closed it). */
    void feedDataFromTransport(byte[] data) {
        if (!eof) {
            append(data);
        }
    }

    void feedEofFromTransport() {
        eof = true;
        wakeWaiter();
    }

    private void append(byte[] data) {
        if (data.length == 0) {
            return;
        }
        buffer.append(data, 0, data.length);
        wakeWaiter();
        if (transport != null && !paused && buffer.size() > 2 * limit) {
            paused = true;
            transport.pauseReading(true);
        }
    }

    private void wakeWaiter() {
        Future<Void> w = waiter;
        if (w != null) {
            waiter = null;
            if (!w.done()) {
                w.setResult(null);
            }
        }
    }

    private void maybeResumeTransport() {
        if (paused && buffer.size() <= limit) {
            paused = false;
            transport.pauseReading(false);
        }
    }

    // =====================================================================================
    // Reading

    /**
     * Whether the stream has ended and the buffer is empty: every read would return nothing more.
     * Python's {@code at_eof()}.
     */
    public boolean atEof() {
        return eof && buffer.isEmpty();
    }

    /**
     * Reads up to {@code n} bytes: waits until at least one byte is there (or the stream ends) and
     * returns what the buffer holds, at most {@code n}. With {@code n} negative, reads until the end
     * of the stream. Python's {@code read(n=-1)}. An await point when it waits.
     *
     * @return the bytes; empty only at the end of the stream (or for {@code n == 0})
     * @throws IOException         what broke the connection (e.g. {@code SocketException: Connection reset})
     * @throws CancelledException if the task is cancelled while waiting; no byte is lost, except
     *                            with {@code n} negative: the blocks read so far go with it
     */
    public byte[] read(int n) throws IOException {
        ACCESS.requireLoopThread(loop, "read");
        throwIfFailed();
        if (n == 0) {
            return new byte[0];
        }
        if (n < 0) {
            ByteQueue all = new ByteQueue();
            for (byte[] block = read(limit); block.length > 0; block = read(limit)) {
                all.append(block, 0, block.length);
            }
            return all.takeAll();
        }
        if (buffer.isEmpty() && !eof) {
            waitForData("read");
        }
        byte[] data = buffer.take(Math.min(n, buffer.size()));
        maybeResumeTransport();
        return data;
    }

    /** Reads until the end of the stream: {@code read(-1)}. An await point when it waits. */
    public byte[] read() throws IOException {
        return read(-1);
    }

    /**
     * Reads exactly {@code n} bytes. Python's {@code readexactly(n)}. An await point when it waits.
     *
     * @throws IncompleteReadException if the stream ends first; it carries the bytes that came
     * @throws IllegalArgumentException if {@code n} is negative
     * @throws IOException             what broke the connection
     */
    public byte[] readExactly(int n) throws IOException {
        if (n < 0) {
            throw new IllegalArgumentException("readExactly size can not be less than zero, got " + n);
        }
        ACCESS.requireLoopThread(loop, "readExactly");
        throwIfFailed();
        if (n == 0) {
            return new byte[0];
        }
        while (buffer.size() < n) {
            if (eof) {
                throw new IncompleteReadException(buffer.takeAll(), n);
            }
            waitForData("readExactly");
        }
        byte[] data = buffer.take(n);
        maybeResumeTransport();
        return data;
    }

    /**
     * Reads one line, ending with {@code \n} (included); at the end of the stream, what is left,
     * possibly nothing. Python's {@code readline()}. An await point when it waits.
     *
     * @throws IllegalArgumentException if the line is longer than the limit; the over-long line
     *                                  is dropped from the buffer (Python's {@code ValueError})
     * @throws IOException             what broke the connection
     */
    public byte[] readLine() throws IOException {
        byte[] newline = {'\n'};
        try {
            return readUntil(newline);
        } catch (IncompleteReadException e) {
            return e.partial();
        } catch (LimitOverrunException e) {
            if (buffer.regionMatches(e.consumed(), newline)) {
                buffer.skip(e.consumed() + newline.length);
            } else {
                buffer.clear();
            }
            maybeResumeTransport();
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * Reads up to and including {@code separator}. Python's {@code readuntil(separator)}. An await
     * point when it waits.
     *
     * @throws IncompleteReadException if the stream ends before the separator; it carries what
     *                                 was read, which is no longer in the buffer
     * @throws LimitOverrunException   if the separator is not within the first {@code limit}
     *                                 bytes; the bytes stay in the buffer
     * @throws IllegalArgumentException if the separator is empty
     * @throws IOException             what broke the connection
     */
    public byte[] readUntil(byte[] separator) throws IOException {
        Objects.requireNonNull(separator, "separator");
        if (separator.length == 0) {
            throw new IllegalArgumentException("Separator should be at least one byte long");
        }
        ACCESS.requireLoopThread(loop, "readUntil");
        throwIfFailed();
        int offset = 0; // where to search from: the bytes before it were searched already
        int found;
        for (;;) {
            int size = buffer.size();
            if (size - offset >= separator.length) {
                found = buffer.indexOf(separator, offset);
                if (found >= 0) {
                    break;
                }
                offset = size + 1 - separator.length;
                if (offset > limit) {
                    throw new LimitOverrunException("Separator is not found, and chunk exceed the limit", offset);
                }
            }
            if (eof) {
                throw new IncompleteReadException(buffer.takeAll(), -1);
            }
            waitForData("readUntil");
        }
        if (found > limit) {
            throw new LimitOverrunException("Separator is found, but chunk is longer than limit", found);
        }
        byte[] data = buffer.take(found + separator.length);
        maybeResumeTransport();
        return data;
    }

    private void throwIfFailed() throws IOException {
        if (exception != null) {
            throw exception;
        }
    }

    /*
     * Waits until data arrives, the stream ends or fails. CPython's _wait_for_data: one waiter at a
     * time, and a paused transport is resumed first, or the wait would never end.
     */
    private void waitForData(String method) throws IOException {
        if (waiter != null) {
            throw new IllegalStateException(method
                    + "() called while another coroutine is already waiting for incoming data");
        }
        if (paused) {
            paused = false;
            transport.pauseReading(false);
        }
        Future<Void> w = loop.createFuture();
        waiter = w;
        try {
            ACCESS.awaitDone(method, w);
        } finally {
            waiter = null;
        }
        throwIfFailed();
    }

    /** Bytes buffered and not yet read (for tests of the bounds). On the loop. */
    int buffered() {
        return buffer.size();
    }

    @Override
    public String toString() {
        return "StreamReader[" + buffer.size() + " bytes" + (eof ? ", eof" : "")
                + (exception != null ? ", exception=" + exception : "") + (paused ? ", paused" : "") + "]";
    }
}

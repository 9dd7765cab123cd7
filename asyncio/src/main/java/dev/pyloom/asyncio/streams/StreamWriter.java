package dev.pyloom.asyncio.streams;

import dev.pyloom.asyncio.CancelledException;
import dev.pyloom.asyncio.internal.LoopAccess;
import java.io.IOException;
import java.util.Objects;

/**
 * The writing end of a connection or of a child's stdin: Python's {@code asyncio.StreamWriter}.
 *
 * <p>{@link #write} never waits: it queues the bytes, and a pump thread writes them out (see
 * {@code Transport}). {@link #drain} is where a writer waits for a slow peer: while more than the
 * high-water mark (64 KiB by default) is queued, it waits until the queue is back to the
 * low-water mark (16 KiB). Write, then drain, as in Python:
 *
 * <pre>{@code
 * for (byte[] chunk : chunks) {
 *     writer.write(chunk);
 *     writer.drain();          // waits only while the peer is not keeping up
 * }
 * writer.close();
 * writer.waitClosed();
 * }</pre>
 *
 * <p>Not thread-safe: only the loop's coroutines and callbacks may call it.
 */
public final class StreamWriter {

    private static final LoopAccess ACCESS = LoopAccess.get();

    private final Transport transport;
    private final StreamReader reader; // the other direction of the same connection; null for a pipe

    StreamWriter(Transport transport, StreamReader reader) {
        this.transport = transport;
        this.reader = reader;
    }

    /**
     * Queues {@code data} to be written. Python's {@code write(data)}. Never blocks; copies the bytes.
     * Once the connection is lost, the bytes are dropped and {@link #drain} says why.
     *
     * @throws IllegalStateException after {@link #close()} or {@link #writeEof()}
     */
    public void write(byte[] data) {
        write(data, 0, data.length);
    }

    /** Queues {@code data[offset, offset + length)}; see {@link #write(byte[])}. */
    public void write(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        ACCESS.requireLoopThread(transport.loop, "write");
        transport.write(data, offset, length);
    }

    /** Queues each array in turn, adding nothing between them. Python's {@code writelines(data)}. */
    public void writeLines(Iterable<byte[]> data) {
        for (byte[] bytes : data) {
            write(bytes);
        }
    }

    /** Whether {@link #writeEof()} is supported: always, for TCP and pipes. Python's {@code can_write_eof()}. */
    public boolean canWriteEof() {
        return true;
    }

    /**
     * Closes the writing direction once the queued bytes are out: the peer reads the end of the
     * stream and may still answer (a half-close). Python's {@code write_eof()}. Never blocks.
     */
    public void writeEof() {
        ACCESS.requireLoopThread(transport.loop, "writeEof");
        transport.writeEof();
    }

    /**
     * Waits while the peer is not keeping up: returns at once unless more than the high-water
     * mark is queued, and then when the queue is back to the low-water mark. Python's
     * {@code drain()}. An await point when it waits.
     *
     * @throws IOException         why the connection was lost, if it was
     * @throws CancelledException if the task is cancelled while it waits
     */
    public void drain() throws IOException {
        ACCESS.requireLoopThread(transport.loop, "drain");
        if (reader != null && reader.exception() != null) {
            throw reader.exception();
        }
        transport.drain();
    }

    /**
     * Closes the connection once the queued bytes are written (both directions, for a socket).
     * Python's {@code close()}. Never blocks; {@link #waitClosed()} waits for it. Closing twice
     * does nothing.
     */
    public void close() {
        ACCESS.requireLoopThread(transport.loop, "close");
        transport.close();
    }

    /** Closes the connection at once, dropping what is queued. Python's {@code transport.abort()}. */
    public void abort() {
        ACCESS.requireLoopThread(transport.loop, "abort");
        transport.abort();
    }

    /** Whether the writer is closed or closing. Python's {@code is_closing()}. */
    public boolean isClosing() {
        return transport.isClosing();
    }

    /** Waits until the connection is closed. Python's {@code wait_closed()}. An await point. */
    public void waitClosed() {
        ACCESS.requireLoopThread(transport.loop, "waitClosed");
        transport.waitClosed();
    }

    /**
     * Information about the connection, Python's {@code get_extra_info(name)}: {@code "peername"}
     * and {@code "sockname"} give an {@link java.net.InetSocketAddress} for a TCP connection;
     * unknown names give null.
     */
    public Object getExtraInfo(String name) {
        return transport.extraInfo(name);
    }

    /** Bytes queued and not yet written. Python's {@code transport.get_write_buffer_size()}. */
    public long writeBufferSize() {
        return transport.writeBufferSize();
    }

    /**
     * Sets when {@link #drain} waits: above {@code high} bytes queued, until {@code low}; -1 takes
     * Python's default (64 KiB high, a quarter of it low). Python's
     * {@code transport.set_write_buffer_limits(high, low)}.
     *
     * @throws IllegalArgumentException unless {@code high >= low >= 0}
     */
    public void setWriteBufferLimits(int high, int low) {
        ACCESS.requireLoopThread(transport.loop, "setWriteBufferLimits");
        transport.setWriteBufferLimits(high, low);
    }

    Transport transport() {
        return transport;
    }

    @Override
    public String toString() {
        return "StreamWriter[" + (isClosing() ? "closing" : "open") + ", peer=" + getExtraInfo("peername") + "]";
    }
}

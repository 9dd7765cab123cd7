package dev.pyloom.asyncio.streams;

import dev.pyloom.asyncio.EventLoop;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * A TCP connection's transport, CPython's {@code _SelectorSocketTransport}: the loop's
 * {@link IoSelector} reads the socket, the write pump writes it, both without blocking (the
 * channel is in non-blocking mode). When the socket is full the pump asks the selector to tell
 * it when it drains.
 *
 * <p>The methods the selector calls run on its thread, except {@link #dataReceived} and
 * {@link #eofReceived}, which it hands to the loop in its batch.
 */
final class SocketTransport extends Transport {

    private final SocketChannel channel; // in non-blocking mode
    private final IoSelector selector;   // reads the socket, and says when it has room again

    private boolean writeWaiting;   // guarded by lock: the write pump waits for a full socket to drain
    private boolean peerEnded;      // guarded by lock: the socket's peer ended its stream

    /** The transport of {@code endpoint}'s connected, non-blocking socket. Call on the loop. */
    SocketTransport(EventLoop loop, SocketEndpoint endpoint) {
        super(loop, endpoint, true);
        this.channel = endpoint.channel();
        this.selector = endpoint.selector();
    }

    @Override
    void startReading() {
        selector.register(channel, this);
    }

    /* The selector recomputes what to wait for from interestOps(). */
    @Override
    void readingConditionChanged() {
        selector.interest(channel, this);
    }

    @Override
    void writeOut(byte[] chunk) throws IOException {
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
            while (writeWaiting && !isClosed()) {
                writerWork.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
    }

    // =====================================================================================
    // The selector's side: IoSelector calls these, on its thread

    /** What the selector should wait for on this socket now. */
    int interestOps() {
        lock.lock();
        try {
            return (readingMustWait() || peerEnded ? 0 : SelectionKey.OP_READ)
                    | (writeWaiting ? SelectionKey.OP_WRITE : 0);
        } finally {
            lock.unlock();
        }
    }

    /** The peer ended its stream; stop asking whether it is readable. */
    void sawEof() {
        lock.lock();
        try {
            peerEnded = true;
        } finally {
            lock.unlock();
        }
    }

    /** Reading failed (the peer reset the connection). */
    void failFromSelector(IOException e) {
        fail(e);
    }

    /** The socket the write pump waits for has room again. */
    void writable() {
        lock.lock();
        try {
            writeWaiting = false;
            writerWork.signal();
        } finally {
            lock.unlock();
        }
    }
}

package dev.pyloom.asyncio.streams;

import dev.pyloom.asyncio.EventLoop;
import dev.pyloom.asyncio.Future;
import dev.pyloom.asyncio.internal.CarrierThreads;
import dev.pyloom.asyncio.internal.LoopAccess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.util.Objects;

/**
 * The two ends of a TCP connection, as {@link Streams#openConnection} returns them: Python's
 * {@code (reader, writer)} pair.
 *
 * <pre>{@code
 * Connection c = Streams.openConnection("127.0.0.1", 8888);
 * c.writer().write(request);
 * byte[] reply = c.reader().readLine();
 * c.writer().close();
 * }</pre>
 */
public record Connection(StreamReader reader, StreamWriter writer) {

    private static final LoopAccess ACCESS = LoopAccess.get();

    public Connection {
        Objects.requireNonNull(reader, "reader");
        Objects.requireNonNull(writer, "writer");
    }

    /*
     * Connects on an ordinary virtual thread (name lookup and the TCP handshake block; the JDK
     * parks the thread, not the loop) while the coroutine awaits a loop future. A connection that
     * completes after its coroutine was cancelled is closed at once; a socket is known to the
     * loop from the start, so closing the loop closes it too, even mid-connect.
     */
    static Connection open(String host, int port, int limit) throws IOException {
        Objects.requireNonNull(host, "host");
        requirePort(port);
        if (limit <= 0) {
            throw new IllegalArgumentException("Limit cannot be <= 0, got " + limit);
        }
        EventLoop loop = ACCESS.coroutineLoop("openConnection");
        SocketChannel channel = SocketChannel.open(); // blocking until connected, on the connecting thread
        SocketEndpoint endpoint;
        try {
            endpoint = new SocketEndpoint(channel, IoSelector.of(loop));
            if (!ACCESS.remember(loop, endpoint)) {
                throw new IllegalStateException("Event loop is closed");
            }
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        Future<Void> connected = loop.createFuture();
        CarrierThreads.ordinary().name("pyloom-asyncio-connect").start(() -> {
            IOException failure = null;
            try {
                InetSocketAddress address = new InetSocketAddress(host, port); // the name lookup
                if (address.isUnresolved()) {
                    throw new UnknownHostException(host + ": no such host");
                }
                channel.connect(address);
            } catch (IOException e) {
                failure = e;
            } catch (RuntimeException e) { // whatever it is, the coroutine must hear of it, not wait
                failure = new IOException("cannot connect to " + host + ":" + port + ": " + e, e);
            }
            IOException outcome = failure;
            ACCESS.callSoonThreadsafeIfOpen(loop, () -> {
                if (connected.done()) {
                    return; // cancelled while connecting: the finally below closes the socket
                }
                if (outcome == null) {
                    connected.setResult(null);
                } else {
                    connected.setException(outcome);
                }
            });
        });
        boolean ok = false;
        try {
            ACCESS.awaitDone("openConnection", connected);
            if (connected.exception() instanceof IOException e) {
                throw e;
            }
            Connection connection = endpoint.open(loop, limit);
            ok = true;
            return connection;
        } finally {
            if (!ok) {
                if (!connected.done()) {
                    connected.cancel();
                }
                closeQuietly(endpoint);
                ACCESS.forget(loop, endpoint);
            }
        }
    }

    static void requirePort(int port) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    private static void closeQuietly(SocketEndpoint endpoint) {
        try {
            endpoint.close();
        } catch (IOException ignored) {
            // it was never handed to anyone
        }
    }
}

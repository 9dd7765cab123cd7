package dev.pyloom.asyncio.streams;

import dev.pyloom.asyncio.EventLoop;
import dev.pyloom.asyncio.internal.LoopAccess;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;

/** A TCP socket as a {@link Transport.Endpoint}, read by its loop's {@link IoSelector}. */
record SocketEndpoint(SocketChannel channel, IoSelector selector) implements Transport.Endpoint {

    private static final LoopAccess ACCESS = LoopAccess.get();

    @Override
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    /* A channel registered with a selector is really closed only once the selector lets go of it. */
    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            selector.wakeup();
        }
    }

    @Override
    public Object extraInfo(String name) {
        try {
            return switch (name) {
                case "peername" -> channel.getRemoteAddress();
                case "sockname" -> channel.getLocalAddress();
                default -> null;
            };
        } catch (IOException closed) {
            return null;
        }
    }

    /**
     * This connected socket's reader and writer on {@code loop}, reading started. The loop, which
     * knew the socket, now knows its transport instead. Call on the loop.
     */
    Connection open(EventLoop loop, int limit) throws IOException {
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true); // as CPython does for every TCP transport
        channel.configureBlocking(false);
        SocketTransport transport = new SocketTransport(loop, this);
        StreamReader reader = new StreamReader(loop, limit);
        StreamWriter writer = new StreamWriter(transport, reader);
        transport.start(reader);
        ACCESS.forget(loop, this);
        return new Connection(reader, writer);
    }
}

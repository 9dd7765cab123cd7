package dev.pyloom.asyncio;

import java.io.IOException;
import java.net.Socket;

/** A TCP socket as a {@link Transport.Endpoint}. */
record SocketEndpoint(Socket socket) implements Transport.Endpoint {

    @Override
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    @Override
    public Object extraInfo(String name) {
        return switch (name) {
            case "peername" -> socket.getRemoteSocketAddress();
            case "sockname" -> socket.getLocalSocketAddress();
            default -> null;
        };
    }

    /**
     * This connected socket's reader and writer on {@code loop}, pumps started. The loop, which
     * knew the socket, now knows its transport instead. Call on the loop.
     */
    Connection open(EventLoop loop, int limit) throws IOException {
        Transport transport = new Transport(loop, this, socket.getInputStream(), socket.getOutputStream());
        StreamReader reader = new StreamReader(loop, limit);
        StreamWriter writer = new StreamWriter(transport, reader);
        transport.start(reader);
        loop.forget(this);
        return new Connection(reader, writer);
    }
}

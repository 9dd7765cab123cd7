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

    /** A connected socket's reader and writer on {@code loop}, pumps started. Call on the loop. */
    static Connection open(EventLoop loop, Socket socket, int limit) throws IOException {
        Transport transport = new Transport(loop, new SocketEndpoint(socket), socket.getInputStream(),
                socket.getOutputStream());
        StreamReader reader = new StreamReader(loop, limit);
        StreamWriter writer = new StreamWriter(transport, reader);
        transport.start(reader);
        return new Connection(reader, writer);
    }
}

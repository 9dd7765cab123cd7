package dev.pyloom.ipc.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** Opening sockets the way every pyloom connection wants them. */
public final class Sockets {

    private Sockets() {}

    /** A listening socket on {@code address} (a Unix domain socket path, or a TCP address). */
    public static ServerSocketChannel listen(SocketAddress address, int backlog) throws IOException {
        ServerSocketChannel server = address instanceof UnixDomainSocketAddress
                ? ServerSocketChannel.open(StandardProtocolFamily.UNIX)
                : ServerSocketChannel.open();
        try {
            server.bind(address, backlog);
            return server;
        } catch (IOException e) {
            server.close();
            throw e;
        }
    }

    /** A connected, blocking socket to {@code address}. */
    public static SocketChannel connect(SocketAddress address) throws IOException {
        SocketChannel channel = SocketChannel.open(address);
        return tuned(channel);
    }

    /** Small frames go out at once on TCP: request/response traffic, not bulk. */
    public static SocketChannel tuned(SocketChannel channel) throws IOException {
        if (channel.getRemoteAddress() instanceof InetSocketAddress) {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
        return channel;
    }

    /**
     * Two sockets connected to each other, like {@code socketpair()} (which the JDK lacks):
     * a one-off listener in the private socket directory, connected to, accepted, and removed.
     */
    public static SocketChannel[] pair() throws IOException {
        UnixDomainSocketAddress address = SocketFiles.newAddress("pair");
        try (ServerSocketChannel server = listen(address, 1)) {
            SocketChannel one = SocketChannel.open(address);
            try {
                SocketChannel two = server.accept();
                return new SocketChannel[] {one, two};
            } catch (IOException e) {
                one.close();
                throw e;
            }
        } finally {
            SocketFiles.delete(address);
        }
    }
}

package dev.pyloom.ipc;

import dev.pyloom.ipc.internal.FrameChannel;
import dev.pyloom.ipc.internal.Handshake;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * A client that passes the handshake of a listener without a key and then writes whatever bytes
 * a test wants on the socket, well-formed or not.
 */
final class RawPeer implements AutoCloseable {

    private final FrameChannel socket;

    private RawPeer(FrameChannel socket) {
        this.socket = socket;
    }

    static RawPeer connect(SocketAddress address) throws IOException {
        FrameChannel socket = new FrameChannel(SocketChannel.open(address), 1024);
        Handshake.asClient(socket, null, 1024, Handshake.DEFAULT_TIMEOUT);
        return new RawPeer(socket);
    }

    /** Writes a frame header announcing {@code length} bytes of {@code kind}. */
    RawPeer header(int length, int kind) throws IOException {
        return bytes(ByteBuffer.allocate(5).putInt(length).put((byte) kind).array());
    }

    RawPeer frame(int kind, byte[] payload) throws IOException {
        return header(payload.length, kind).bytes(payload);
    }

    RawPeer bytes(byte[] bytes) throws IOException {
        socket.writeRaw(ByteBuffer.wrap(bytes));
        return this;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

package dev.pyloom.ipc;

import dev.pyloom.ipc.internal.FrameChannel;
import dev.pyloom.ipc.internal.Handshake;
import dev.pyloom.ipc.internal.Sockets;
import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Connects to a {@link Listener}: Python's {@code multiprocessing.connection.Client}.
 *
 * <pre>{@code
 * try (Connection conn = Client.connect(new InetSocketAddress("127.0.0.1", 6000), key)) {
 *     System.out.println(conn.recv());   // [2.25, 42, junk]
 * }
 * }</pre>
 */
public final class Client {

    private Client() {}

    /** Connects to a listener that does not authenticate. */
    public static Connection connect(SocketAddress address) throws IOException {
        return connect(address, null, FrameChannel.DEFAULT_MAX_FRAME_BYTES);
    }

    /**
     * Connects, proves to the listener that this side holds {@code authKey}, and checks that the
     * listener holds it too. Blocks until the handshake is over.
     *
     * @throws AuthenticationException if the keys differ, or only one side has one
     * @throws IOException             if the listener cannot be reached
     */
    public static Connection connect(SocketAddress address, byte[] authKey) throws IOException {
        return connect(address, Keys.checked(authKey), FrameChannel.DEFAULT_MAX_FRAME_BYTES);
    }

    /** As {@link #connect(SocketAddress, byte[])}, with a frame limit other than the default 64 MiB; {@code authKey} may be null. */
    public static Connection connect(SocketAddress address, byte[] authKey, int maxFrameBytes) throws IOException {
        Objects.requireNonNull(address, "address");
        if (maxFrameBytes < 1) {
            throw new IllegalArgumentException("maximum frame size must be positive: " + maxFrameBytes);
        }
        byte[] key = authKey == null ? null : Keys.checked(authKey);
        FrameChannel channel = new FrameChannel(Sockets.connect(address), maxFrameBytes);
        try {
            Handshake.asClient(channel, key, maxFrameBytes, HANDSHAKE_TIMEOUT);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return new Connection(channel, true, true);
    }

    private static final Duration HANDSHAKE_TIMEOUT = Handshake.DEFAULT_TIMEOUT;
}

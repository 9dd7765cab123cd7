package dev.pyloom.ipc;

import dev.pyloom.ipc.internal.Acceptor;
import dev.pyloom.ipc.internal.FrameChannel;
import dev.pyloom.ipc.internal.Handshake;
import dev.pyloom.ipc.internal.SocketFiles;
import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * A listening socket that hands out authenticated {@link Connection}s: Python's
 * {@code multiprocessing.connection.Listener}.
 *
 * <pre>{@code
 * byte[] key = "secret password".getBytes(UTF_8);
 * try (Listener listener = Listener.open(new InetSocketAddress("127.0.0.1", 6000), key)) {
 *     try (Connection conn = listener.accept()) {
 *         conn.send(List.of(2.25, 42, "junk"));
 *     }
 * }
 * }</pre>
 *
 * <p>With an auth key, every client must prove it holds the key, and the listener proves the same
 * to the client (HMAC-SHA256 challenge and response in both directions; the wire format is in
 * the module README). A client without the key, or with a wrong one, is told so and disconnected
 * before any message is exchanged; {@code accept()} never returns it. Without a key, anyone who
 * can reach the socket may connect: fine for a Unix domain socket in this process's private
 * directory (the default address), not for TCP.
 *
 * <p>Unlike Python's, authentication happens in the background, each connection on its own
 * virtual thread with a deadline: a client that connects and then stays silent holds up nobody.
 */
public final class Listener implements AutoCloseable {

    private final Acceptor acceptor;

    private Listener(Acceptor acceptor) {
        this.acceptor = acceptor;
    }

    /** A listener on a fresh Unix domain socket in this process's private directory, without a key. */
    public static Listener open() throws IOException {
        return builder().open();
    }

    /** A listener on {@code address} (a {@code UnixDomainSocketAddress} or an {@code InetSocketAddress}), without a key. */
    public static Listener open(SocketAddress address) throws IOException {
        return builder().address(address).open();
    }

    /** A listener on {@code address} that requires {@code authKey} of every client. */
    public static Listener open(SocketAddress address, byte[] authKey) throws IOException {
        return builder().address(address).authKey(authKey).open();
    }

    /** Options beyond the address and key: backlog, frame limit, handshake deadline, handshakes at once. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Waits for the next client that has passed the handshake and returns its connection.
     * Python's {@code accept()}.
     *
     * @throws IOException if the listener is closed, before or while waiting
     */
    public Connection accept() throws IOException {
        return new Connection(acceptor.accept(), true, true);
    }

    /** The address clients connect to (for TCP port 0, the port actually bound). Python's {@code address}. */
    public SocketAddress address() {
        return acceptor.address();
    }

    /**
     * Stops listening and removes a Unix domain socket's file. Connections already accepted stay
     * open; a thread waiting in {@link #accept()} gets an {@code IOException}. Idempotent.
     */
    @Override
    public void close() throws IOException {
        acceptor.close();
    }

    @Override
    public String toString() {
        return "Listener[" + address() + "]";
    }

    /** How a {@link Listener} is opened. */
    public static final class Builder {

        private SocketAddress address;
        private byte[] authKey;
        private int backlog = 128;
        private int maxFrameBytes = FrameChannel.DEFAULT_MAX_FRAME_BYTES;
        private Duration handshakeTimeout = Handshake.DEFAULT_TIMEOUT;
        private int maxHandshakes = Acceptor.MAX_HANDSHAKES;

        private Builder() {}

        /** Where to listen; a fresh Unix domain socket in the private directory if not given. */
        public Builder address(SocketAddress address) {
            this.address = Objects.requireNonNull(address, "address");
            return this;
        }

        /**
         * The key every client must prove it has.
         *
         * @throws IllegalArgumentException if it is empty
         */
        public Builder authKey(byte[] authKey) {
            this.authKey = Keys.checked(authKey);
            return this;
        }

        /** How many connections the operating system queues before they are accepted. */
        public Builder backlog(int backlog) {
            if (backlog < 1) {
                throw new IllegalArgumentException("backlog must be at least 1: " + backlog);
            }
            this.backlog = backlog;
            return this;
        }

        /** The largest message (in bytes) accepted connections will receive or send; 64 MiB by default. */
        public Builder maxFrameBytes(int maxFrameBytes) {
            if (maxFrameBytes < 1) {
                throw new IllegalArgumentException("maximum frame size must be positive: " + maxFrameBytes);
            }
            this.maxFrameBytes = maxFrameBytes;
            return this;
        }

        /** How long a client has to complete the handshake; 10 seconds by default. */
        public Builder handshakeTimeout(Duration handshakeTimeout) {
            if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
                throw new IllegalArgumentException("handshake timeout must be positive: " + handshakeTimeout);
            }
            this.handshakeTimeout = handshakeTimeout;
            return this;
        }

        /**
         * How many clients may be in the handshake at once (1,024 by default). One more pushes out
         * the oldest that has said nothing: a silent peer costs only its own connection, and a
         * good client is pushed out only if this many others connect within its first round trip.
         */
        public Builder maxHandshakes(int maxHandshakes) {
            if (maxHandshakes < 1) {
                throw new IllegalArgumentException("maxHandshakes must be at least 1: " + maxHandshakes);
            }
            this.maxHandshakes = maxHandshakes;
            return this;
        }

        /** Binds and starts listening. */
        public Listener open() throws IOException {
            SocketAddress where = address != null ? address : SocketFiles.newAddress("listener");
            return new Listener(new Acceptor(where, backlog, authKey, maxFrameBytes, handshakeTimeout, maxHandshakes));
        }
    }
}

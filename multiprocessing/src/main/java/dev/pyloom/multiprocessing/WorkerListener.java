package dev.pyloom.multiprocessing;

import dev.pyloom.ipc.Connection;
import dev.pyloom.ipc.Listener;
import dev.pyloom.ipc.internal.SocketThreads;
import dev.pyloom.multiprocessing.internal.Protocol;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a pool's workers connect back: a Unix socket with a fresh random auth key, and the
 * tokens of the workers being started. A worker's first message, its {@link Protocol.Hello},
 * carries the token its place gave it, which is how the connection reaches the right place.
 */
final class WorkerListener implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Listener listener;
    private final String key;
    private final Map<String, CompletableFuture<Connection>> hellos = new ConcurrentHashMap<>();

    WorkerListener(String poolName) throws IOException {
        byte[] keyBytes = new byte[32];
        RANDOM.nextBytes(keyBytes);
        this.key = Base64.getEncoder().encodeToString(keyBytes);
        this.listener = Listener.builder().authKey(keyBytes).maxFrameBytes(Protocol.MAX_FRAME_BYTES).open();
        Thread.ofVirtual().name(poolName + "-hellos").start(this::acceptWorkers);
    }

    /** Where workers connect: a Unix socket's path. */
    String address() {
        return ((UnixDomainSocketAddress) listener.address()).getPath().toString();
    }

    /** The auth key, base64, for the workers' bootstrap. */
    String key() {
        return key;
    }

    /** A fresh token for a worker about to start, and the connection it will make. */
    Expected expect() {
        byte[] tokenBytes = new byte[16];
        RANDOM.nextBytes(tokenBytes);
        String token = HexFormat.of().formatHex(tokenBytes);
        CompletableFuture<Connection> hello = new CompletableFuture<>();
        hellos.put(token, hello);
        return new Expected(token, hello);
    }

    /** A worker being started: its token, and its connection once it has said hello. */
    final class Expected {
        final String token;
        final CompletableFuture<Connection> connection;

        private Expected(String token, CompletableFuture<Connection> connection) {
            this.token = token;
            this.connection = connection;
        }

        /** Gives up on this worker; a connection it made (or makes) is closed. */
        void forget() {
            hellos.remove(token);
            if (!connection.complete(null)) {
                Connection late = connection.getNow(null);
                if (late != null) {
                    closeQuietly(late);
                }
            }
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing down
        }
    }

    private void acceptWorkers() {
        for (;;) {
            Connection connection;
            try {
                connection = listener.accept();
            } catch (IOException closed) {
                return;
            }
            SocketThreads.start("pyloom-hello", () -> {
                try {
                    Protocol.Hello hello = Protocol.Hello.decode(connection.recvBytes());
                    CompletableFuture<Connection> waiting = hellos.remove(hello.token());
                    if (waiting == null || !waiting.complete(connection)) {
                        connection.close();
                    }
                } catch (IOException | RuntimeException e) {
                    closeQuietly(connection);
                }
            });
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (IOException ignored) {
            // a connection that never became a worker's
        }
    }
}

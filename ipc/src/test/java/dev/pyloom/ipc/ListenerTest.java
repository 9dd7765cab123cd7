package dev.pyloom.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.ipc.programs.ListenAndExit;
import dev.pyloom.ipc.programs.ListenAndWait;
import dev.pyloom.ipc.programs.WithoutATemporaryDirectory;
import dev.pyloom.testing.ChildJvm;
import dev.pyloom.testing.Spawned;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Listener} and {@link Client}: the handshake, its failures, and the listening socket itself. */
class ListenerTest {

    private static final byte[] KEY = "the right key".getBytes(StandardCharsets.UTF_8);
    private static final byte[] WRONG = "the wrong key".getBytes(StandardCharsets.UTF_8);

    /** Proves the listener still serves a good client: the first accepted connection is this one. */
    private static void aGoodClientIsServed(Listener listener, byte[] key) throws Exception {
        try (Connection client = key == null ? Client.connect(listener.address()) : Client.connect(listener.address(), key);
                Connection server = listener.accept()) {
            client.send("ping");
            assertEquals("ping", server.recv());
            server.send("pong");
            assertEquals("pong", client.recv());
        }
    }

    @Test
    void aWrongKeyIsRefusedAndToldSo() throws Exception {
        try (Listener listener = Listener.builder().authKey(KEY).open()) {
            AuthenticationException e = assertThrows(AuthenticationException.class,
                    () -> Client.connect(listener.address(), WRONG));
            assertEquals("digest received was wrong", e.getMessage());
            aGoodClientIsServed(listener, KEY);
        }
    }

    @Test
    void aClientWithoutAKeyIsToldTheListenerRequiresOne() throws Exception {
        try (Listener listener = Listener.builder().authKey(KEY).open()) {
            AuthenticationException e = assertThrows(AuthenticationException.class, () -> Client.connect(listener.address()));
            assertEquals("the listener requires an authentication key, and none was given", e.getMessage());
            aGoodClientIsServed(listener, KEY);
        }
    }

    @Test
    void aClientWithAKeyRefusesAListenerThatDoesNotAuthenticate() throws Exception {
        try (Listener listener = Listener.open()) {
            AuthenticationException e = assertThrows(AuthenticationException.class,
                    () -> Client.connect(listener.address(), KEY));
            assertTrue(e.getMessage().contains("listener does not authenticate"), e.getMessage());
            aGoodClientIsServed(listener, null);
        }
    }

    @Test
    void withoutKeysAnyClientThatCanReachTheSocketConnects() throws Exception {
        try (Listener listener = Listener.open()) {
            aGoodClientIsServed(listener, null);
        }
    }

    @Test
    void anEmptyKeyIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Listener.builder().authKey(new byte[0]));
        assertThrows(IllegalArgumentException.class,
                () -> Client.connect(UnixDomainSocketAddress.of("/nonexistent"), new byte[0]));
    }

    @Test
    void aSilentClientHoldsUpNobody() throws Exception {
        // A deadline far beyond the test's patience: only handshakes running side by side let
        // the good client through in time.
        try (Listener listener = Listener.builder().authKey(KEY).handshakeTimeout(Duration.ofHours(1)).open();
                SocketChannel silent = SocketChannel.open(listener.address())) {
            aGoodClientIsServed(listener, KEY);
            assertTrue(silent.isOpen());
        }
    }

    /**
     * More silent peers than the listener runs handshakes for at once: each good client is
     * still served at once. (Were the listener to wait for a silent peer's deadline, an hour
     * here, the good clients would time out.)
     */
    @Test
    void goodClientsAreServedWhateverSilentPeersHold() throws Exception {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (Listener listener = Listener.builder().address(loopback).authKey(KEY).handshakeTimeout(Duration.ofHours(1))
                .maxHandshakes(32).open()) {
            List<SocketChannel> silent = new ArrayList<>();
            try {
                for (int i = 0; i < 32 + 44; i++) {
                    silent.add(SocketChannel.open(listener.address()));
                }
                for (int i = 0; i < 10; i++) {
                    aGoodClientIsServed(listener, KEY);
                }
            } finally {
                for (SocketChannel channel : silent) {
                    channel.close();
                }
            }
        }
    }

    /**
     * Silent peers that connect again whenever the listener pushes them out, as the issue's
     * attackers did: good clients are still served, each within its own handshake.
     */
    @Test
    void goodClientsAreServedWhileSilentPeersKeepReconnecting() throws Exception {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (Listener listener = Listener.builder().address(loopback).authKey(KEY).handshakeTimeout(Duration.ofHours(1))
                .maxHandshakes(256).open()) {
            List<SocketChannel> silent = new ArrayList<>();
            for (int i = 0; i < 256 + 44; i++) {
                SocketChannel peer = SocketChannel.open(listener.address());
                peer.configureBlocking(false);
                silent.add(peer);
            }
            AtomicBoolean attacking = new AtomicBoolean(true);
            Spawned<Integer> reconnecting = Spawned.call(() -> {
                int reconnected = 0;
                ByteBuffer discard = ByteBuffer.allocate(4096);
                while (attacking.get() && reconnected < 5_000) {
                    for (int i = 0; i < silent.size(); i++) {
                        if (silent.get(i).read(discard.clear()) < 0) { // pushed out: straight back in
                            silent.get(i).close();
                            SocketChannel again = SocketChannel.open(listener.address());
                            again.configureBlocking(false);
                            silent.set(i, again);
                            reconnected++;
                        }
                    }
                }
                return reconnected;
            });
            try {
                for (int i = 0; i < 10; i++) {
                    aGoodClientIsServed(listener, KEY);
                }
            } finally {
                attacking.set(false);
                reconnecting.join();
                for (SocketChannel channel : silent) {
                    channel.close();
                }
            }
        }
    }

    @Test
    void aMissingTemporaryDirectoryIsAnIOExceptionEveryTimeUntilItExists(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("tmp");
        ChildJvm.Result result = ChildJvm.run(List.of(ChildJvm.javaBinary(), "-Djava.io.tmpdir=" + missing,
                "-cp", ChildJvm.classPath(), WithoutATemporaryDirectory.class.getName()));
        assertEquals(0, result.exitCode(), result.stderr());
        List<String> lines = result.stdoutLines();
        for (String line : lines.subList(0, 4)) {
            assertTrue(line.contains("cannot create a private directory for pyloom's sockets in " + missing), line);
            assertTrue(line.contains("Set java.io.tmpdir"), line);
        }
        assertTrue(lines.get(0).startsWith("listener: java.io.IOException"), lines.get(0));
        assertTrue(lines.get(1).startsWith("listener again: java.io.IOException"), "every time: " + lines.get(1));
        assertTrue(lines.get(2).startsWith("pipe: java.io.IOException"), lines.get(2));
        assertTrue(lines.get(3).startsWith("queue handle: java.io.UncheckedIOException"), "toHandle() declares no"
                + " IOException: " + lines.get(3));
        assertTrue(lines.get(4).startsWith("recovered: " + missing), lines.get(4));
    }

    @Test
    void aSilentClientIsDisconnectedAtTheHandshakeDeadline() throws Exception {
        try (Listener listener = Listener.builder().authKey(KEY).handshakeTimeout(Duration.ofMillis(200)).open();
                SocketChannel silent = SocketChannel.open(listener.address())) {
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            int n;
            while ((n = silent.read(buffer)) > 0) {
                buffer.clear(); // the hello and the challenge, then nothing more
            }
            assertEquals(-1, n, "the listener hung up on the silent client");
            aGoodClientIsServed(listener, KEY);
        }
    }

    @Test
    void theDefaultAddressIsASocketInADirectoryOnlyTheOwnerCanUse() throws Exception {
        Path socketFile;
        try (Listener listener = Listener.open()) {
            UnixDomainSocketAddress address = assertInstanceOf(UnixDomainSocketAddress.class, listener.address());
            socketFile = address.getPath();
            assertTrue(Files.exists(socketFile));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socketFile.getParent())));
        }
        assertFalse(Files.exists(socketFile), "closing the listener removes its socket file");
    }

    @Test
    void socketFilesAndTheirDirectoryAreGoneWhenTheProcessExits() throws Exception {
        ChildJvm.Result result = ChildJvm.run(ListenAndExit.class);
        assertEquals(0, result.exitCode(), result.stderr());
        Path socket = Path.of(result.stdout().strip());
        assertTrue(socket.toString().endsWith(".sock"), socket.toString());
        assertFalse(Files.exists(socket), "the socket file was removed at exit");
        assertFalse(Files.exists(socket.getParent()), "and the private directory with it");
    }

    /** A process killed by SIGKILL cleans up nothing: the next process to make its directory removes the leftover. */
    @Test
    void theDirectoryOfAKilledProcessIsRemovedByTheNextOne(@TempDir Path dir) throws Exception {
        Path said = dir.resolve("socket");
        Path leftover;
        try (ChildJvm killed = ChildJvm.start(ListenAndWait.class, said.toString())) {
            Spawned.awaitUntil(() -> Files.exists(said) || !killed.process().isAlive());
            leftover = Path.of(Files.readString(said)).getParent();
            killed.process().destroyForcibly();
            killed.process().waitFor();
        }
        assertTrue(Files.exists(leftover), "SIGKILL left it");
        ChildJvm.Result next = ChildJvm.run(ListenAndExit.class);
        assertEquals(0, next.exitCode(), next.stderr());
        assertFalse(Files.exists(leftover), "the next process removed it");
    }

    @Test
    void aTcpListenerOnPortZeroReportsThePortItGot() throws Exception {
        try (Listener listener = Listener.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), KEY)) {
            InetSocketAddress address = assertInstanceOf(InetSocketAddress.class, listener.address());
            assertTrue(address.getPort() > 0);
            aGoodClientIsServed(listener, KEY);
        }
    }

    @Test
    void closingWakesAThreadWaitingToAccept() throws Exception {
        Listener listener = Listener.open();
        Spawned<Connection> acceptor = Spawned.call(listener::accept).awaitBlocked();
        listener.close();
        IOException e = assertInstanceOf(IOException.class, acceptor.failure());
        assertEquals("listener is closed", e.getMessage());
        assertThrows(IOException.class, listener::accept);
        listener.close();
    }

    @Test
    void connectingToNothingFailsClearly() {
        Path nowhere = Path.of(System.getProperty("java.io.tmpdir"), "pyloom-no-such-socket");
        assertThrows(IOException.class, () -> Client.connect(UnixDomainSocketAddress.of(nowhere)));
    }
}

package dev.pyloom.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad input on one connection is an exception on that connection, which closes; the process,
 * the listener and every other connection carry on. Each test breaks the protocol in one way.
 */
class FrameSafetyTest {

    private static final int MESSAGE = 1;
    private static final int LIMIT = 64 << 10;

    private Listener listener;
    private Connection bystander;
    private Connection bystanderPeer;

    @BeforeEach
    void listenWithABystander() throws Exception {
        listener = Listener.builder().maxFrameBytes(LIMIT).open();
        bystander = Client.connect(listener.address(), null, LIMIT);
        bystanderPeer = listener.accept();
    }

    @AfterEach
    void bystanderIsUnharmed() throws Exception {
        bystander.send("still here");
        assertEquals("still here", bystanderPeer.recv());
        bystander.close();
        bystanderPeer.close();
        listener.close();
    }

    /** Connects a raw peer and returns it with the connection the listener accepted for it. */
    private record Victim(RawPeer peer, Connection accepted) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            peer.close();
            accepted.close();
        }
    }

    private Victim victim() throws IOException {
        RawPeer peer = RawPeer.connect(listener.address());
        return new Victim(peer, listener.accept());
    }

    @Test
    void aFrameOverTheLimitIsRefusedAndClosesItsConnection() throws Exception {
        try (Victim v = victim()) {
            v.peer().header(LIMIT + 1, MESSAGE);
            FrameTooLargeException e = assertThrows(FrameTooLargeException.class, () -> v.accepted().recv());
            assertEquals(LIMIT + 1, e.length());
            assertEquals(LIMIT, e.limit());
            assertThrows(IOException.class, () -> v.accepted().recv(), "closed after the violation");
        }
    }

    @Test
    void aLengthWithTheTopBitSetIsOverTheLimitToo() throws Exception {
        try (Victim v = victim()) {
            v.peer().header(0xFFFF_FFF0, MESSAGE);
            FrameTooLargeException e = assertThrows(FrameTooLargeException.class, () -> v.accepted().recvBytes());
            assertEquals(0xFFFF_FFF0L, e.length());
        }
    }

    @Test
    void anAnnouncedLengthIsNeverAllocatedUpFront() throws Exception {
        // A listener whose limit allows almost 2 GiB, a peer that announces that much and sends
        // ten bytes: the test JVM has 512 MiB, so allocating what the header claims would fail.
        try (Listener generous = Listener.builder().maxFrameBytes(Integer.MAX_VALUE - 8).open()) {
            RawPeer peer = RawPeer.connect(generous.address());
            try (Connection accepted = generous.accept()) {
                peer.header(Integer.MAX_VALUE - 16, 2).bytes(new byte[10]);
                peer.close();
                EOFException e = assertThrows(EOFException.class, accepted::recvBytes);
                assertTrue(e.getMessage().contains("in the middle of a frame"), e.getMessage());
            }
        }
    }

    @Test
    void aReadInterruptedWhileTheRestOfAFrameIsOnItsWayLeavesTheStreamIntact() throws Exception {
        try (Victim v = victim()) {
            byte[] payload = "\"twelve chars\"".getBytes(StandardCharsets.UTF_8);
            v.peer().header(payload.length, MESSAGE).bytes(java.util.Arrays.copyOf(payload, 7));
            org.junit.jupiter.api.Assertions.assertFalse(v.accepted().poll(java.time.Duration.ofMillis(20)));
            dev.pyloom.testing.Spawned<Object> reader = dev.pyloom.testing.Spawned.call(() -> v.accepted().recv());
            dev.pyloom.testing.Spawned.awaitUntil(() -> reader.thread().getState() == Thread.State.WAITING);
            reader.thread().interrupt();
            assertTrue(reader.failure() instanceof java.io.InterruptedIOException);
            v.peer().bytes(java.util.Arrays.copyOfRange(payload, 7, payload.length));
            assertEquals("twelve chars", v.accepted().recv(), "the frame arrives whole after the interrupted read");
        }
    }

    @Test
    void aReadInterruptedInTheMiddleOfALargeFrameGoesOnFromWhereItWas() throws Exception {
        try (Listener generous = Listener.builder().maxFrameBytes(1 << 20).open();
                RawPeer peer = RawPeer.connect(generous.address());
                Connection accepted = generous.accept()) {
            byte[] payload = ("\"" + "x".repeat(300_000) + "\"").getBytes(StandardCharsets.UTF_8);
            peer.header(payload.length, MESSAGE).bytes(java.util.Arrays.copyOf(payload, 200_000));
            dev.pyloom.testing.Spawned<Object> reader = dev.pyloom.testing.Spawned.call(accepted::recv).awaitBlocked();
            reader.thread().interrupt();
            assertTrue(reader.failure() instanceof java.io.InterruptedIOException);
            peer.bytes(java.util.Arrays.copyOfRange(payload, 200_000, payload.length));
            assertEquals("x".repeat(300_000), accepted.recv(), "the frame arrives whole after the interrupted read");
        }
    }

    @Test
    void aTruncatedFrameIsAnEndOfStreamThatSaysSo() throws Exception {
        try (Victim v = victim()) {
            v.peer().header(100, MESSAGE).bytes(new byte[50]);
            v.peer().close();
            EOFException e = assertThrows(EOFException.class, () -> v.accepted().recv());
            assertEquals("connection closed in the middle of a frame: 50 of 100 bytes arrived", e.getMessage());
        }
    }

    @Test
    void aTruncatedHeaderIsAnEndOfStreamToo() throws Exception {
        try (Victim v = victim()) {
            v.peer().bytes(new byte[] {0, 0});
            v.peer().close();
            assertThrows(EOFException.class, () -> v.accepted().recv());
        }
    }

    @Test
    void bytesThatAreNotJsonAreMalformed() throws Exception {
        try (Victim v = victim()) {
            v.peer().frame(MESSAGE, "{not json".getBytes(StandardCharsets.UTF_8));
            MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> v.accepted().recv());
            assertTrue(e.getMessage().contains("cannot decode"), e.getMessage());
            assertThrows(IOException.class, () -> v.accepted().recv());
        }
    }

    @Test
    void trailingDataAfterTheJsonValueIsMalformed() throws Exception {
        try (Victim v = victim()) {
            v.peer().frame(MESSAGE, "1 2".getBytes(StandardCharsets.UTF_8));
            assertThrows(MalformedMessageException.class, () -> v.accepted().recv());
        }
    }

    @Test
    void invalidUtf8IsMalformed() throws Exception {
        try (Victim v = victim()) {
            v.peer().frame(MESSAGE, new byte[] {'"', (byte) 0xC3, (byte) 0x28, '"'});
            assertThrows(MalformedMessageException.class, () -> v.accepted().recv());
        }
    }

    @Test
    void anUnknownFrameKindIsMalformed() throws Exception {
        try (Victim v = victim()) {
            v.peer().frame(9, new byte[] {1});
            MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> v.accepted().recvBytes());
            assertEquals("unknown frame kind 0x09", e.getMessage());
        }
    }

    @Test
    void aControlFrameOnAUserConnectionIsMalformed() throws Exception {
        try (Victim v = victim()) {
            v.peer().frame(3, "{\"op\":\"attach\",\"id\":1}".getBytes(StandardCharsets.UTF_8));
            assertThrows(MalformedMessageException.class, () -> v.accepted().recv());
        }
    }

    @Test
    void deeplyNestedJsonIsRefusedNotAStackOverflow() throws Exception {
        try (Victim v = victim()) {
            String deep = "[".repeat(30_000) + "]".repeat(30_000); // fits the frame limit, not the depth limit
            v.peer().frame(MESSAGE, deep.getBytes(StandardCharsets.UTF_8));
            assertThrows(MalformedMessageException.class, () -> v.accepted().recv());
        }
    }

    @Test
    void framesAfterOneThatIsNotJsonAreNeverDelivered() throws Exception {
        try (Victim v = victim()) {
            v.peer().frame(MESSAGE, "{not json".getBytes(StandardCharsets.UTF_8));
            v.peer().frame(MESSAGE, "\"next\"".getBytes(StandardCharsets.UTF_8));
            assertThrows(MalformedMessageException.class, () -> v.accepted().recv());
            IOException e = assertThrows(IOException.class, () -> v.accepted().recv());
            assertTrue(e.getMessage().startsWith("connection is closed: cannot decode"), e.getMessage());
        }
    }

    @Test
    void framesAfterAControlFrameOnAUserConnectionAreNeverDelivered() throws Exception {
        try (Victim v = victim()) {
            v.peer().frame(3, "{\"op\":\"attach\",\"id\":1}".getBytes(StandardCharsets.UTF_8));
            v.peer().frame(MESSAGE, "\"next\"".getBytes(StandardCharsets.UTF_8));
            assertThrows(MalformedMessageException.class, () -> v.accepted().recvBytes());
            IOException e = assertThrows(IOException.class, () -> v.accepted().recvBytes());
            assertTrue(e.getMessage().startsWith("connection is closed: unexpected control frame"), e.getMessage());
        }
    }

    @Test
    void afterAFrameOverTheLimitEveryReadSaysTheConnectionIsClosed() throws Exception {
        try (Victim v = victim()) {
            v.peer().header(LIMIT + 1, MESSAGE);
            assertThrows(FrameTooLargeException.class, () -> v.accepted().recv());
            IOException e = assertThrows(IOException.class, () -> v.accepted().recv());
            assertTrue(e.getMessage().startsWith("connection is closed: "), e.getMessage());
            assertThrows(IOException.class, () -> v.accepted().poll());
        }
    }

    @Test
    void aMessageOverTheLimitFailsAtTheSenderAndSendsNothing() throws Exception {
        FrameTooLargeException e = assertThrows(FrameTooLargeException.class, () -> bystander.send("x".repeat(LIMIT)));
        assertEquals(LIMIT, e.limit());
        assertThrows(FrameTooLargeException.class, () -> bystander.sendBytes(new byte[LIMIT + 1]));
    }
}

package dev.pyloom.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

/** What sending a connection to another process means for the object left behind, and for the handle. */
class HandleTest {

    record Carrier(String note, Connection reply) {}

    @Test
    void aHandleIsASmallJsonObject() throws Exception {
        Pipe pipe = Pipe.open();
        String handle = pipe.conn2().toHandle();
        assertTrue(handle.startsWith("{\"pyloom\":\"connection\",\"address\":\""), handle);
        assertTrue(handle.length() < 300, handle);
        Connection.fromHandle(handle).close();
        pipe.conn1().close();
    }

    /** As a closed connection does: an IOException (Python's OSError) for every use. */
    @Test
    void anEndSentAwayIsNoLongerUsableHere() throws Exception {
        Pipe pipe = Pipe.open();
        String handle = pipe.conn2().toHandle();
        IOException e = assertThrows(IOException.class, () -> pipe.conn2().send("x"));
        assertEquals("this connection was sent to another process and is no longer usable here", e.getMessage());
        assertThrows(IOException.class, () -> pipe.conn2().recv());
        assertThrows(IOException.class, () -> pipe.conn2().poll());
        Connection.fromHandle(handle).close();
        pipe.conn1().close();
    }

    /** toHandle() declares no checked exception: the IOException comes wrapped. */
    @Test
    void anEndSentAwayCannotBeSentAgain() throws Exception {
        Pipe pipe = Pipe.open();
        String handle = pipe.conn2().toHandle();
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> pipe.conn2().toHandle());
        assertEquals("this connection was sent to another process and is no longer usable here",
                e.getCause().getMessage());
        Connection.fromHandle(handle).close();
        pipe.conn1().close();
    }

    @Test
    void aHandleAttachesOnceOnly() throws Exception {
        Pipe pipe = Pipe.open();
        String handle = pipe.conn2().toHandle();
        try (Connection first = Connection.fromHandle(handle)) {
            IOException e = assertThrows(IOException.class, () -> Connection.fromHandle(handle));
            assertTrue(e.getMessage().contains("already attached elsewhere"), e.getMessage());
            pipe.conn1().send("to the first");
            assertEquals("to the first", first.recv());
        }
        pipe.conn1().close();
    }

    @Test
    void aClosedConnectionCannotBeSent() throws Exception {
        Pipe pipe = Pipe.open();
        pipe.conn2().close();
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> pipe.conn2().toHandle());
        assertEquals("connection is closed", e.getCause().getMessage());
        pipe.conn1().close();
    }

    /** Inside a message it is a value that cannot be encoded, as for send(obj) of any such value. */
    @Test
    void aClosedConnectionInsideAMessageCannotBeEncoded() throws Exception {
        Pipe control = Pipe.open();
        Pipe replies = Pipe.open();
        replies.conn2().close();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> control.conn1().send(new Carrier("reply on this", replies.conn2())));
        assertTrue(e.getMessage().contains("connection is closed"), e.getMessage());
        control.conn1().close();
        control.conn2().close();
        replies.conn1().close();
    }

    @Test
    void whatThePartnerSentBeforeAttachingAndClosingStillArrives() throws Exception {
        Pipe pipe = Pipe.open();
        String handle = pipe.conn2().toHandle();
        pipe.conn1().send("sent before the other side attached");
        pipe.conn1().close();
        try (Connection late = Connection.fromHandle(handle)) {
            assertEquals("sent before the other side attached", late.recv());
            assertThrows(EOFException.class, late::recv);
        }
    }

    @Test
    void aConnectionInsideAMessageArrivesAsALiveConnection() throws Exception {
        Pipe control = Pipe.open();
        Pipe replies = Pipe.open();
        control.conn1().send(new Carrier("reply on this", replies.conn2()));
        Carrier carrier = control.conn2().recv(Carrier.class);
        assertEquals("reply on this", carrier.note());
        carrier.reply().send("the reply");
        assertEquals("the reply", replies.conn1().recv());
        carrier.reply().close();
        replies.conn1().close();
        control.conn1().close();
        control.conn2().close();
    }

    @Test
    void bothEndsSentAwayAndClosedHereStillTalkToEachOther() throws Exception {
        // Python's habit: hand both ends to children, then close the parent's copies.
        Pipe pipe = Pipe.open();
        String one = pipe.conn1().toHandle();
        String two = pipe.conn2().toHandle();
        pipe.conn1().close();
        pipe.conn2().close();
        assertTrue(pipe.conn1().isClosed());
        try (Connection a = Connection.fromHandle(one); Connection b = Connection.fromHandle(two)) {
            a.send("through the relay");
            assertEquals("through the relay", b.recv());
            b.send("and back");
            assertEquals("and back", a.recv());
        }
    }

    @Test
    void whatAnEndSentBeforeLeavingStillReachesItsPartner() throws Exception {
        Pipe pipe = Pipe.open();
        String two = pipe.conn2().toHandle();  // direct: conn1 will get conn2's attaching socket
        pipe.conn1().send("sent while waiting"); // conn1's outbox
        String one = pipe.conn1().toHandle();  // now conn1 leaves too: relayed
        try (Connection b = Connection.fromHandle(two); Connection a = Connection.fromHandle(one)) {
            assertEquals("sent while waiting", b.recv());
            a.send("after both attached");
            assertEquals("after both attached", b.recv());
        }
    }

    @Test
    void aRelayLetsGoOfItsSocketsWhenBothSidesClose() throws Exception {
        long before = openFileDescriptors();
        for (int i = 0; i < 30; i++) {
            Pipe pipe = Pipe.open();
            pipe.conn1().send("used, so relayed");
            try (Connection far = Connection.fromHandle(pipe.conn2().toHandle())) {
                assertEquals("used, so relayed", far.recv());
            }
            pipe.conn1().close();
        }
        dev.pyloom.testing.Spawned.awaitUntil(() -> openFileDescriptors() <= before + 10);
    }

    private static long openFileDescriptors() throws IOException {
        try (var fds = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void aHandleThatIsNotOneIsMalformed() {
        assertThrows(MalformedMessageException.class, () -> Connection.fromHandle("{\"pyloom\":\"queue\"}"));
        assertThrows(MalformedMessageException.class, () -> Connection.fromHandle("not json"));
        assertThrows(MalformedMessageException.class, () -> Connection.fromHandle("{\"pyloom\":\"connection\"}"));
    }

    @Test
    void aHandleWithAWrongKeyIsRefused() throws Exception {
        Pipe pipe = Pipe.open();
        String handle = pipe.conn2().toHandle();
        String forged = handle.replaceFirst("\"key\":\"[^\"]+\"", "\"key\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"");
        assertThrows(AuthenticationException.class, () -> Connection.fromHandle(forged));
        Connection.fromHandle(handle).close();
        pipe.conn1().close();
    }
}

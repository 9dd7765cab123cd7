package dev.pyloom.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The connection contract over a {@link Pipe}, plus what only pipes do. */
class PipeTest extends ConnectionContract {

    @Override
    Ends connect() {
        Pipe pipe = Pipe.open();
        return new Ends(pipe.conn1(), pipe.conn2());
    }

    @Test
    void aOneWayPipeCarriesFromConn2ToConn1Only() throws Exception {
        Pipe pipe = Pipe.open(false);
        try (Connection reader = pipe.conn1(); Connection writer = pipe.conn2()) {
            assertTrue(reader.readable());
            assertFalse(reader.writable());
            assertFalse(writer.readable());
            assertTrue(writer.writable());
            writer.send("one way");
            assertEquals("one way", reader.recv());
        }
    }

    /** Python raises OSError("connection is read-only"), which is IOException here as everywhere in ipc. */
    @Test
    void sendingOnTheReadEndOfAOneWayPipeIsAnIOException() throws Exception {
        Pipe pipe = Pipe.open(false);
        try (Connection reader = pipe.conn1(); Connection writer = pipe.conn2()) {
            IOException e = assertThrows(IOException.class, () -> reader.send("x"));
            assertEquals("connection is read-only", e.getMessage());
            assertThrows(IOException.class, () -> reader.sendBytes(new byte[1]));
        }
    }

    /** Python raises OSError("connection is write-only"). */
    @Test
    void receivingOnTheWriteEndOfAOneWayPipeIsAnIOException() throws Exception {
        Pipe pipe = Pipe.open(false);
        try (Connection reader = pipe.conn1(); Connection writer = pipe.conn2()) {
            IOException e = assertThrows(IOException.class, writer::recv);
            assertEquals("connection is write-only", e.getMessage());
            assertThrows(IOException.class, writer::recvBytes);
            assertThrows(IOException.class, () -> writer.recvBytesInto(new byte[1], 0));
            assertThrows(IOException.class, writer::poll);
        }
    }

    /** Python checks closed before the direction: a closed end says it is closed. */
    @Test
    void aClosedEndSaysItIsClosedWhicheverWayItIsUsed() throws Exception {
        Pipe pipe = Pipe.open(false);
        pipe.conn1().close();
        IOException e = assertThrows(IOException.class, () -> pipe.conn1().send("x"));
        assertEquals("connection is closed", e.getMessage());
        pipe.conn2().close();
    }

    /** Python closes a read-only connection whose message is over maxLength (`_bad_message_length`). */
    @Test
    void aMessageOverMaxLengthClosesAReadOnlyEnd() throws Exception {
        Pipe pipe = Pipe.open(false);
        try (Connection reader = pipe.conn1(); Connection writer = pipe.conn2()) {
            writer.sendBytes(new byte[100]);
            assertThrows(IOException.class, () -> reader.recvBytes(50));
            assertTrue(reader.isClosed());
        }
    }

    @Test
    void openingAPipeMakesNoSocketsUntilItIsUsed() throws Exception {
        Pipe pipe = Pipe.open();
        assertTrue(pipe.conn1().toString().contains("pending"), pipe.conn1().toString());
        pipe.conn1().send(1);
        assertTrue(pipe.conn1().toString().contains("connected"), pipe.conn1().toString());
        assertEquals(1, pipe.conn2().recv());
        pipe.conn1().close();
        pipe.conn2().close();
    }

    @Test
    void closingAnUnusedEndGivesThePartnerEof() throws Exception {
        Pipe pipe = Pipe.open();
        pipe.conn1().close();
        assertThrows(java.io.IOException.class, () -> pipe.conn2().recv());
        pipe.conn2().close();
    }
}

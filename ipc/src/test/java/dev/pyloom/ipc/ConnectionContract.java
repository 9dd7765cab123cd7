package dev.pyloom.ipc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.testing.Spawned;
import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every pair of connected {@link Connection}s promises, whatever carries it: a local pipe,
 * a Unix domain socket or TCP through a Listener, an end reattached from a handle. Python's
 * {@code _TestConnection} in {@code _test_multiprocessing.py}.
 */
abstract class ConnectionContract {

    /** Two connected, duplex ends. */
    record Ends(Connection a, Connection b) {}

    abstract Ends connect() throws Exception;

    private final List<Connection> opened = new ArrayList<>();

    /** Whether send() has put the message in the peer's socket by the time it returns. */
    boolean sendReachesThePeerDirectly() {
        return true;
    }

    /** Connects, and remembers the ends so that every test closes them. */
    Ends ends() throws Exception {
        Ends ends = connect();
        opened.add(ends.a());
        opened.add(ends.b());
        return ends;
    }

    @AfterEach
    void closeEverything() throws IOException {
        for (Connection c : opened) {
            c.close();
        }
    }

    enum Colour { RED, GREEN }

    record Point(int x, int y) {}

    record Everything(String name, Colour colour, Optional<String> nickname, Instant at, LocalDate day,
            List<Point> points, Map<String, Integer> counts, Set<String> tags, byte[] blob) {}

    @Test
    void jsonShapedValuesRoundTrip() throws Exception {
        Ends ends = ends();
        List<Object> values = Arrays.asList("text", 42, 2.25, true, null, List.of(1, "two"), Map.of("k", List.of()));
        for (Object value : values) {
            ends.a().send(value);
        }
        for (Object value : values) {
            assertEquals(value, ends.b().recv());
        }
    }

    @Test
    void recordsEnumsOptionalsAndTimesRoundTrip() throws Exception {
        Ends ends = ends();
        Everything sent = new Everything("n", Colour.GREEN, Optional.of("nick"), Instant.parse("2026-11-24T10:15:30.123456789Z"),
                LocalDate.of(2026, 11, 24), List.of(new Point(1, 2)), Map.of("a", 1), Set.of("t"), new byte[] {1, 2, 3});
        ends.a().send(sent);
        Everything got = ends.b().recv(Everything.class);
        assertEquals(sent.name(), got.name());
        assertEquals(sent.colour(), got.colour());
        assertEquals(sent.nickname(), got.nickname());
        assertEquals(sent.at(), got.at());
        assertEquals(sent.day(), got.day());
        assertEquals(sent.points(), got.points());
        assertEquals(sent.counts(), got.counts());
        assertEquals(sent.tags(), got.tags());
        assertArrayEquals(sent.blob(), got.blob());
    }

    @Test
    void anEmptyOptionalRoundTrips() throws Exception {
        Ends ends = ends();
        record Maybe(Optional<String> value) {}
        ends.a().send(new Maybe(Optional.empty()));
        assertEquals(Optional.empty(), ends.b().recv(Maybe.class).value());
    }

    @Test
    void genericTypesDecodeThroughATypeRef() throws Exception {
        Ends ends = ends();
        ends.a().send(List.of(new Point(1, 2), new Point(3, 4)));
        List<Point> points = ends.b().recv(new TypeRef<List<Point>>() {});
        assertEquals(List.of(new Point(1, 2), new Point(3, 4)), points);
    }

    @Test
    void messagesArriveInOrderInBothDirections() throws Exception {
        // Senders on their own threads: a socket's buffer holds only so many frames, and a
        // thread that only sends would wait for a reader that never comes.
        Ends ends = ends();
        int count = 10_000;
        Spawned<Void> aToB = Spawned.run(() -> {
            for (int i = 0; i < count; i++) {
                ends.a().send(i);
            }
        });
        Spawned<Void> bToA = Spawned.run(() -> {
            for (int i = 0; i < count; i++) {
                ends.b().send(-i);
            }
        });
        for (int i = 0; i < count; i++) {
            assertEquals(i, ends.b().recv(Integer.class));
            assertEquals(-i, ends.a().recv(Integer.class));
        }
        aToB.join();
        bToA.join();
    }

    @Test
    void bytesTravelAsTheyAre() throws Exception {
        Ends ends = ends();
        byte[] payload = new byte[256];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        ends.a().sendBytes(payload);
        ends.a().sendBytes(payload, 10, 5);
        ends.a().sendBytes(new byte[0]);
        assertArrayEquals(payload, ends.b().recvBytes());
        assertArrayEquals(Arrays.copyOfRange(payload, 10, 15), ends.b().recvBytes());
        assertArrayEquals(new byte[0], ends.b().recvBytes());
    }

    @Test
    void largePayloadsArriveWhole() throws Exception {
        Ends ends = ends();
        byte[] big = new byte[5 << 20];
        new java.util.Random(7).nextBytes(big);
        Spawned<Void> sender = Spawned.run(() -> ends.a().sendBytes(big));
        assertArrayEquals(big, ends.b().recvBytes());
        sender.join();
        String text = "x".repeat(3 << 20);
        Spawned<Void> textSender = Spawned.run(() -> ends.a().send(text));
        assertEquals(text, ends.b().recv(String.class));
        textSender.join();
    }

    @Test
    void sendBytesChecksItsRange() throws Exception {
        Ends ends = ends();
        assertThrows(IndexOutOfBoundsException.class, () -> ends.a().sendBytes(new byte[4], 2, 3));
    }

    @Test
    void recvBytesOfAJsonMessageGivesItsText() throws Exception {
        Ends ends = ends();
        ends.a().send(Map.of("k", 1));
        assertEquals("{\"k\":1}", new String(ends.b().recvBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void recvBytesIntoFillsTheBuffer() throws Exception {
        Ends ends = ends();
        ends.a().sendBytes(new byte[] {5, 6, 7});
        byte[] buffer = new byte[10];
        assertEquals(3, ends.b().recvBytesInto(buffer, 4));
        assertArrayEquals(new byte[] {0, 0, 0, 0, 5, 6, 7, 0, 0, 0}, buffer);
    }

    @Test
    void recvBytesIntoATooShortBufferLosesNothing() throws Exception {
        Ends ends = ends();
        ends.a().sendBytes(new byte[] {1, 2, 3, 4});
        ends.a().send("next");
        BufferTooShortException e = assertThrows(BufferTooShortException.class,
                () -> ends.b().recvBytesInto(new byte[3], 0));
        assertArrayEquals(new byte[] {1, 2, 3, 4}, e.message());
        assertEquals("next", ends.b().recv(), "the connection is still usable");
    }

    @Test
    void aMessageOverMaxLengthIsRefused() throws Exception {
        Ends ends = ends();
        ends.a().sendBytes(new byte[100]);
        IOException e = assertThrows(IOException.class, () -> ends.b().recvBytes(50));
        assertEquals("message of 100 bytes is longer than maxLength 50", e.getMessage());
    }

    /** Python: "the connection will no longer be readable", whatever follows on the stream. */
    @Test
    void afterAMessageOverMaxLengthNothingMoreIsReceived() throws Exception {
        Ends ends = ends();
        ends.a().sendBytes(new byte[100]);
        ends.a().send("next");
        assertThrows(IOException.class, () -> ends.b().recvBytes(50));
        IOException e = assertThrows(IOException.class, () -> ends.b().recvBytes());
        assertEquals("connection is no longer readable: message of 100 bytes is longer than maxLength 50",
                e.getMessage());
        assertThrows(IOException.class, () -> ends.b().recv());
        assertThrows(IOException.class, () -> ends.b().recvBytesInto(new byte[10], 0));
        assertThrows(IOException.class, () -> ends.b().poll(), "Python's poll checks readable too");
        assertFalse(ends.b().readable());
    }

    /** Python: only reading ends on a duplex connection (`_bad_message_length`). */
    @Test
    void afterAMessageOverMaxLengthADuplexEndStillSends() throws Exception {
        Ends ends = ends();
        ends.a().sendBytes(new byte[100]);
        assertThrows(IOException.class, () -> ends.b().recvBytes(50));
        ends.b().send("still sending");
        assertEquals("still sending", ends.a().recv());
        assertFalse(ends.b().isClosed());
    }

    /**
     * Python pickles such an end as not readable. Here its stream cannot travel at all: a relay
     * would pass on the rest of the refused message as it is, to be read as frames.
     */
    @Test
    void afterAMessageOverMaxLengthTheEndCannotBeSentToAnotherProcess() throws Exception {
        Ends ends = ends();
        byte[] hidden = new byte[100]; // a frame could hide in here, past the limit
        ends.a().sendBytes(hidden);
        ends.a().send("next");
        assertThrows(IOException.class, () -> ends.b().recvBytes(50));
        java.io.UncheckedIOException refused = assertThrows(java.io.UncheckedIOException.class,
                () -> ends.b().toHandle());
        assertTrue(refused.getCause().getMessage().contains("no longer readable"), refused.getCause().getMessage());
        ends.b().send("still sending here");
        assertEquals("still sending here", ends.a().recv());
    }

    @Test
    void afterBadInputTheEndCannotBeSentToAnotherProcess() throws Exception {
        Ends ends = ends();
        ends.a().sendBytes(new byte[] {1});
        ends.a().send("next");
        assertThrows(MalformedMessageException.class, () -> ends.b().recv());
        java.io.UncheckedIOException refused = assertThrows(java.io.UncheckedIOException.class,
                () -> ends.b().toHandle());
        assertTrue(refused.getCause().getMessage().startsWith("connection is closed: expected a JSON message"),
                refused.getCause().getMessage());
    }

    @Test
    void afterBadInputTheEndSaysItIsClosed() throws Exception {
        Ends ends = ends();
        ends.a().send(Map.of("x", "one", "y", 2));
        assertThrows(MalformedMessageException.class, () -> ends.b().recv(Point.class));
        assertTrue(ends.b().isClosed());
        assertFalse(ends.b().readable());
        assertFalse(ends.b().writable());
        IOException e = assertThrows(IOException.class, () -> ends.b().send("x"));
        assertTrue(e.getMessage().startsWith("connection is closed"), e.getMessage());
    }

    @Test
    void recvOfRawBytesIsMalformed() throws Exception {
        Ends ends = ends();
        ends.a().sendBytes(new byte[] {1});
        MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> ends.b().recv());
        assertTrue(e.getMessage().contains("use recvBytes"), e.getMessage());
    }

    @Test
    void afterAMessageOfTheWrongKindNothingMoreIsReceived() throws Exception {
        Ends ends = ends();
        ends.a().sendBytes(new byte[] {1});
        ends.a().send("next");
        assertThrows(MalformedMessageException.class, () -> ends.b().recv());
        IOException e = assertThrows(IOException.class, () -> ends.b().recv());
        assertTrue(e.getMessage().startsWith("connection is closed: expected a JSON message"), e.getMessage());
    }

    @Test
    void jsonOfTheWrongShapeIsMalformed() throws Exception {
        Ends ends = ends();
        ends.a().send(Map.of("x", "one", "y", 2));
        MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> ends.b().recv(Point.class));
        assertTrue(e.getMessage().contains("Point"), e.getMessage());
    }

    @Test
    void afterJsonOfTheWrongShapeNothingMoreIsReceived() throws Exception {
        Ends ends = ends();
        ends.a().send(Map.of("x", "one", "y", 2));
        ends.a().send("next");
        assertThrows(MalformedMessageException.class, () -> ends.b().recv(Point.class));
        assertThrows(IOException.class, () -> ends.b().recv());
        assertThrows(IOException.class, () -> ends.b().poll());
    }

    @Test
    void unknownPropertiesAreTheWrongShapeToo() throws Exception {
        Ends ends = ends();
        ends.a().send(Map.of("x", 1, "y", 2, "z", 3));
        assertThrows(MalformedMessageException.class, () -> ends.b().recv(Point.class));
    }

    @Test
    void aValueThatCannotBeEncodedFailsAtTheSenderAndSendsNothing() throws Exception {
        Ends ends = ends();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ends.a().send(new Object()));
        assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
        ends.a().send("still fine");
        assertEquals("still fine", ends.b().recv());
    }

    @Test
    void pollIsFalseUntilAMessageArrives() throws Exception {
        Ends ends = ends();
        assertFalse(ends.b().poll());
        assertFalse(ends.b().poll(Duration.ofMillis(20)));
        ends.a().send("now");
        assertTrue(ends.b().poll(Spawned.PATIENCE));
        assertTrue(ends.b().poll(), "polling does not consume");
        assertEquals("now", ends.b().recv());
        assertFalse(ends.b().poll());
    }

    @Test
    void aZeroTimeoutPollSeesAMessageAlreadySent() throws Exception { // Python: select() with timeout 0
        org.junit.jupiter.api.Assumptions.assumeTrue(sendReachesThePeerDirectly(),
                "a relayed end's messages pass through this process's relay after send() returns");
        for (int i = 0; i < 50; i++) {
            Ends ends = ends();
            ends.a().send("waiting");
            assertTrue(ends.b().poll(), "a message sent before the poll, round " + i);
            assertEquals("waiting", ends.b().recv());
        }
    }

    @Test
    void aZeroTimeoutPollAfterAFalseOneSeesAMessageSentSince() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(sendReachesThePeerDirectly(),
                "a relayed end's messages pass through this process's relay after send() returns");
        Ends ends = ends();
        for (int i = 0; i < 50; i++) {
            assertFalse(ends.b().poll(), "nothing sent yet, round " + i);
            ends.a().send(i);
            assertTrue(ends.b().poll(), "a message sent after a poll that found nothing, round " + i);
            assertEquals(i, ends.b().recv(Integer.class));
        }
    }

    @Test
    void aZeroTimeoutPollAfterAFalseOneSeesThePeerClose() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(sendReachesThePeerDirectly(),
                "a relayed end's close passes through this process's relay after close() returns");
        Ends ends = ends();
        assertFalse(ends.b().poll());
        ends.a().close();
        assertTrue(ends.b().poll(), "end of stream is readable: recv would not block");
        assertThrows(EOFException.class, () -> ends.b().recv());
    }

    @Test
    void busyPollingOnMoreVirtualThreadsThanCarriersSeesEveryMessage() throws Exception {
        // Python's "while not conn.poll(): do_other_work()", on more threads than there are cores
        org.junit.jupiter.api.Assumptions.assumeTrue(sendReachesThePeerDirectly(),
                "a relayed end's messages need this process's relay threads, which spinning threads may keep off the cores");
        int pollers = 2 * Runtime.getRuntime().availableProcessors() + 1;
        List<Ends> pairs = new ArrayList<>();
        for (int i = 0; i < pollers; i++) {
            pairs.add(ends());
        }
        List<Spawned<Object>> waiting = new ArrayList<>();
        for (Ends ends : pairs) {
            waiting.add(Spawned.call(() -> {
                while (!ends.b().poll()) {
                    Thread.onSpinWait(); // the other work
                }
                return ends.b().recv();
            }));
        }
        for (int i = 0; i < pollers; i++) {
            pairs.get(i).a().send("for poller " + i);
        }
        for (int i = 0; i < pollers; i++) {
            assertEquals("for poller " + i, waiting.get(i).join());
        }
    }

    @Test
    void anInterruptedRecvLeavesTheConnectionAsItWas() throws Exception {
        Ends ends = ends();
        Spawned<Object> receiver = Spawned.call(() -> ends.b().recv()).awaitBlocked();
        receiver.thread().interrupt();
        assertInstanceOf(java.io.InterruptedIOException.class, receiver.failure());
        ends.a().send("after the interrupt");
        assertEquals("after the interrupt", ends.b().recv());
        ends.b().send("and back");
        assertEquals("and back", ends.a().recv());
    }

    @Test
    void anInterruptedPollLeavesTheConnectionAsItWas() throws Exception {
        Ends ends = ends();
        Spawned<Boolean> poller = Spawned.call(() -> ends.b().poll(Spawned.PATIENCE)).awaitBlocked();
        poller.thread().interrupt();
        assertInstanceOf(java.io.InterruptedIOException.class, poller.failure());
        ends.a().send("after the interrupt");
        assertEquals("after the interrupt", ends.b().recv());
    }

    @Test
    void aSendInterruptedInTheMiddleOfAFrameClosesTheConnectionAndSaysWhy() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(sendReachesThePeerDirectly(),
                "a relayed end's frames pass through this process's relay");
        Ends ends = ends();
        byte[] larger = new byte[32 << 20]; // far more than any socket buffer: the send blocks partway
        Spawned<Void> sender = Spawned.run(() -> ends.a().sendBytes(larger)).awaitBlocked();
        sender.thread().interrupt();
        Throwable failure = sender.failure();
        assertInstanceOf(java.io.InterruptedIOException.class, failure);
        assertTrue(failure.getMessage().contains("middle of sending a frame"), failure.getMessage());
        IOException later = assertThrows(IOException.class, () -> ends.a().send("more"));
        assertTrue(later.getMessage().contains("middle of sending a frame"), later.getMessage());
    }

    @Test
    void pollWaitsForAMessageSentLater() throws Exception {
        Ends ends = ends();
        Spawned<Boolean> poller = Spawned.call(() -> ends.b().poll(Spawned.PATIENCE)).awaitBlocked();
        ends.a().send("late");
        assertTrue(poller.join());
        assertEquals("late", ends.b().recv());
    }

    @Test
    void aPollThatTimedOutLosesNothingThatArrivesAfterwards() throws Exception {
        // Whatever arrives after a poll that timed out reaches the next recv, in order, exactly once.
        Ends ends = ends();
        assertFalse(ends.b().poll(Duration.ofMillis(5)));
        Spawned<Void> sender = Spawned.run(() -> {
            for (int i = 0; i < 1_000; i++) {
                ends.a().send(i);
            }
        });
        for (int i = 0; i < 1_000; i++) {
            if (i % 100 == 0) {
                ends.b().poll(Duration.ZERO);
            }
            assertEquals(i, ends.b().recv(Integer.class));
        }
        sender.join();
    }

    @Test
    void pollRejectsANegativeTimeout() throws Exception {
        Ends ends = ends();
        assertThrows(IllegalArgumentException.class, () -> ends.b().poll(Duration.ofMillis(-1)));
    }

    @Test
    void recvBlocksUntilAMessageArrives() throws Exception {
        Ends ends = ends();
        Spawned<Object> receiver = Spawned.call(() -> ends.b().recv()).awaitBlocked();
        assertFalse(receiver.isDone());
        ends.a().send("hello");
        assertEquals("hello", receiver.join());
    }

    @Test
    void thePeerClosingGivesEofAfterWhatItSent() throws Exception {
        Ends ends = ends();
        ends.a().send("last words");
        ends.a().close();
        assertEquals("last words", ends.b().recv());
        EOFException e = assertThrows(EOFException.class, () -> ends.b().recv());
        assertTrue(e.getMessage().contains("closed by the peer"), e.getMessage());
        assertTrue(ends.b().poll(), "end of stream is readable: recv would not block");
    }

    @Test
    void thePeerClosingWakesABlockedReceiver() throws Exception {
        Ends ends = ends();
        Spawned<Object> receiver = Spawned.call(() -> ends.b().recv()).awaitBlocked();
        ends.a().close();
        assertInstanceOf(EOFException.class, receiver.failure());
    }

    @Test
    void sendingToAClosedPeerEventuallyFails() throws Exception {
        Ends ends = ends();
        ends.b().close();
        assertThrows(IOException.class, () -> {
            for (int i = 0; i < 100_000; i++) {
                ends.a().sendBytes(new byte[1024]);
            }
        });
    }

    @Test
    void closingIsIdempotentAndStopsEverything() throws Exception {
        Ends ends = ends();
        assertFalse(ends.a().isClosed());
        ends.a().close();
        ends.a().close();
        assertTrue(ends.a().isClosed());
        assertThrows(IOException.class, () -> ends.a().send("x"));
        assertThrows(IOException.class, () -> ends.a().recv());
    }

    /** Python's _check_closed: OSError("handle is closed") for every use. */
    @Test
    void aClosedEndRefusesEveryUse() throws Exception {
        Ends ends = ends();
        ends.b().send("unread");
        ends.a().close();
        IOException e = assertThrows(IOException.class, () -> ends.a().recv());
        assertEquals("connection is closed", e.getMessage());
        assertThrows(IOException.class, () -> ends.a().recvBytes());
        assertThrows(IOException.class, () -> ends.a().recvBytes(10));
        assertThrows(IOException.class, () -> ends.a().recvBytesInto(new byte[10], 0));
        assertThrows(IOException.class, () -> ends.a().poll());
        assertThrows(IOException.class, () -> ends.a().sendBytes(new byte[1]));
        java.io.UncheckedIOException handle = assertThrows(java.io.UncheckedIOException.class, () -> ends.a().toHandle());
        assertEquals("connection is closed", handle.getCause().getMessage());
    }

    /** Python's _check_closed comes before any look at the arguments: OSError, not ValueError. */
    @Test
    void aClosedEndSaysSoBeforeLookingAtTheArguments() throws Exception {
        Ends ends = ends();
        ends.a().close();
        byte[] buffer = new byte[4];
        for (org.junit.jupiter.api.function.Executable use : List.<org.junit.jupiter.api.function.Executable>of(
                () -> ends.a().recvBytes(-1),
                () -> ends.a().poll(Duration.ofSeconds(-1)),
                () -> ends.a().sendBytes(buffer, 5, 1),
                () -> ends.a().recvBytesInto(buffer, 5),
                () -> ends.a().recv((Class<?>) null),
                () -> ends.a().recv((TypeRef<?>) null))) {
            IOException e = assertThrows(IOException.class, use);
            assertEquals("connection is closed", e.getMessage());
        }
    }

    @Test
    void anEndClosedByBadInputSaysSoBeforeLookingAtTheArguments() throws Exception {
        Ends ends = ends();
        ends.a().sendBytes(new byte[] {1});
        assertThrows(MalformedMessageException.class, () -> ends.b().recv());
        byte[] buffer = new byte[4];
        for (org.junit.jupiter.api.function.Executable use : List.<org.junit.jupiter.api.function.Executable>of(
                () -> ends.b().recvBytes(-1),
                () -> ends.b().poll(Duration.ofSeconds(-1)),
                () -> ends.b().sendBytes(buffer, 5, 1),
                () -> ends.b().recvBytesInto(buffer, 5),
                () -> ends.b().recv((Class<?>) null))) {
            IOException e = assertThrows(IOException.class, use);
            assertTrue(e.getMessage().startsWith("connection is closed"), e.getMessage());
        }
    }

    @Test
    void closingWakesAThreadBlockedInRecvOnTheSameEnd() throws Exception {
        Ends ends = ends();
        Spawned<Object> receiver = Spawned.call(() -> ends.b().recv()).awaitBlocked();
        ends.b().close();
        assertInstanceOf(IOException.class, receiver.failure());
    }

    @Test
    void concurrentSendersNeverInterleaveFrames() throws Exception {
        Ends ends = ends();
        int senders = 8;
        int each = 1_000;
        List<Spawned<Void>> all = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            int sender = s;
            all.add(Spawned.run(() -> {
                for (int i = 0; i < each; i++) {
                    ends.a().send(List.of(sender, i, "payload-" + i));
                }
            }));
        }
        Map<Integer, Integer> next = new HashMap<>();
        for (int n = 0; n < senders * each; n++) {
            List<?> message = ends.b().recv(List.class);
            int sender = (Integer) message.get(0);
            int i = (Integer) message.get(1);
            assertEquals(next.getOrDefault(sender, 0), i, "per-sender order");
            next.put(sender, i + 1);
        }
        Spawned.joinAll(all);
        assertFalse(ends.b().poll());
    }

    @Test
    void nullIsAMessageToo() throws Exception {
        Ends ends = ends();
        ends.a().send(null);
        assertNull(ends.b().recv());
        assertTrue(ends.a().readable() && ends.a().writable());
    }
}

package dev.pyloom.asyncio.streams;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.asyncio.Asyncio;
import dev.pyloom.asyncio.CancelledException;
import dev.pyloom.asyncio.Future;
import dev.pyloom.asyncio.LoopContract;
import dev.pyloom.asyncio.Task;
import dev.pyloom.asyncio.Timeout;
import dev.pyloom.asyncio.locks.Event;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * TCP streams: CPython's {@code test_asyncio/test_streams.py} and {@code test_server.py}, on
 * 127.0.0.1. Every test ends with as many open sockets as it started with.
 */
abstract class StreamsContract extends LoopContract {

    private static final String HOST = "127.0.0.1";

    private long socketsBefore;

    @BeforeEach
    void countSockets() throws IOException {
        socketsBefore = openSockets();
    }

    @AfterEach
    void noSocketIsLeftOpen() {
        loop.close(); // closes whatever a failed test left open
        awaitUntil(() -> openSockets() <= socketsBefore);
    }

    /**
     * Sockets this JVM has open (Linux), in any state: the {@code socket:[inode]} links in
     * /proc/self/fd that are not Unix sockets. (The JDK keeps a Unix socket pair of its own for
     * closing sockets that a thread is blocked on; it is not ours to count.) A TCP socket that
     * was reset but never closed is not in /proc/net/tcp any more; it is still counted here.
     */
    static long openSockets() throws IOException {
        Set<String> unix = new HashSet<>();
        Path table = Path.of("/proc/self/net/unix");
        if (Files.exists(table)) {
            List<String> rows = Files.readAllLines(table);
            for (String row : rows.subList(1, rows.size())) {
                unix.add(row.trim().split("\\s+")[6]);
            }
        }
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    String link = Files.readSymbolicLink(fd).toString(); // socket:[12345]
                    return link.startsWith("socket:[") && !unix.contains(link.substring(8, link.length() - 1));
                } catch (IOException gone) {
                    return false;
                }
            }).count();
        }
    }

    static byte[] bytes(String text) {
        return text.getBytes(US_ASCII);
    }

    static String text(byte[] bytes) {
        return new String(bytes, US_ASCII);
    }

    /** A server on the running loop that echoes every line it reads until the client's EOF. */
    static Server startEchoServer() throws IOException {
        return Streams.startServer((reader, writer) -> {
            for (byte[] line = reader.readLine(); line.length > 0; line = reader.readLine()) {
                writer.write(line);
                writer.drain();
            }
        }, HOST, 0);
    }

    static int port(Server server) {
        return server.address().getPort();
    }

    // =====================================================================================
    // Round trips

    @Test
    void manyConcurrentClientsEachGetTheirOwnLinesBack() throws Exception {
        int clients = 50;
        int lines = 20;
        int[] inside = {0}; // coroutines between two await points right now: never more than one
        List<String> problems = new ArrayList<>();
        run(() -> {
            try (Server server = startEchoServer()) {
                List<Task<Integer>> tasks = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    int client = c;
                    tasks.add(Asyncio.createTask(() -> {
                        Connection conn = Streams.openConnection(HOST, port(server));
                        int good = 0;
                        for (int i = 0; i < lines; i++) {
                            String line = "client " + client + " line " + i + "\n";
                            conn.writer().write(bytes(line));
                            byte[] reply = conn.reader().readLine();
                            inside[0]++;
                            if (inside[0] != 1) {
                                problems.add("two coroutines ran at once");
                            }
                            if (text(reply).equals(line)) {
                                good++;
                            }
                            inside[0]--;
                        }
                        conn.writer().close();
                        conn.writer().waitClosed();
                        return good;
                    }));
                }
                for (Task<Integer> task : tasks) {
                    assertEquals(lines, task.await());
                }
            }
        });
        assertEquals(List.of(), problems);
    }

    @Test
    void aWaitClosedThatTimesOutLeavesTheEndAwaitable() throws Exception {
        // Each wait_closed() has a waiter of its own: cancelling one wait ends that wait only.
        boolean closing = run(() -> {
            try (Server server = Streams.startServer((reader, writer) -> {
                reader.read(); // until the client's EOF
                writer.close();
            }, HOST, 0)) {
                Connection conn = Streams.openConnection(HOST, port(server));
                assertThrows(TimeoutException.class, () -> Asyncio.waitFor(() -> {
                    conn.writer().waitClosed();
                    return null;
                }, ms(20)));
                Task<Void> waiting = Asyncio.createTask(conn.writer()::waitClosed);
                Asyncio.sleep(Duration.ZERO); // the task's first step: it waits
                Asyncio.sleep(Duration.ZERO);
                assertFalse(waiting.done(), "the end is not closed yet");
                conn.writer().close();
                waiting.await();
                return conn.writer().isClosing();
            }
        });
        assertTrue(closing);
    }

    @Test
    void drainReturnsOnlyOnceTheQueueIsUnderTheHighWaterMark() throws Exception {
        // Python's drain() waits while more than the high-water mark is queued; a "resumed" the
        // pump posted for an earlier write must not end the wait of a later one.
        List<Long> over = run(() -> {
            try (Server server = Streams.startServer((reader, writer) -> {
                reader.read(); // everything, until the client's EOF
                writer.close();
            }, HOST, 0)) {
                Connection conn = Streams.openConnection(HOST, port(server));
                List<Long> queued = new ArrayList<>();
                byte[] chunk = new byte[1 << 20];
                for (int i = 0; i < 200; i++) {
                    conn.writer().write(chunk);
                    conn.writer().drain();
                    if (conn.writer().writeBufferSize() > WriteBuffer.DEFAULT_HIGH_WATER) {
                        queued.add(conn.writer().writeBufferSize());
                    }
                }
                conn.writer().close();
                conn.writer().waitClosed();
                return queued;
            }
        });
        assertEquals(List.of(), over);
    }

    @Test
    void aLargePayloadMakesTheRoundTripIntact() throws Exception {
        byte[] payload = new byte[4 * 1024 * 1024];
        new Random(42).nextBytes(payload);
        byte[] echoed = run(() -> {
            try (Server server = Streams.startServer((reader, writer) -> {
                writer.write(reader.read()); // everything until the client's EOF, then back
                writer.drain();
            }, HOST, 0)) {
                Connection conn = Streams.openConnection(HOST, port(server));
                Task<byte[]> reading = Asyncio.createTask(() -> conn.reader().read());
                for (int at = 0; at < payload.length; at += 100_000) {
                    conn.writer().write(payload, at, Math.min(100_000, payload.length - at));
                    conn.writer().drain();
                }
                conn.writer().writeEof();
                byte[] back = reading.await();
                conn.writer().close();
                return back;
            }
        });
        assertArrayEquals(payload, echoed);
    }

    @Test
    void drainWaitsWhileThePeerDoesNotRead() throws Exception {
        int chunk = 64 * 1024;
        int chunks = 256; // 16 MiB: far more than the kernel's socket buffers hold
        run(() -> {
            Event startReading = new Event();
            Future<Long> received = loop.createFuture();
            try (Server server = Streams.startServer((reader, writer) -> {
                startReading.await();
                received.setResult((long) reader.read().length);
            }, HOST, 0)) {
                Connection conn = Streams.openConnection(HOST, port(server));
                int[] drained = {0};
                Task<Void> writing = Asyncio.createTask(() -> {
                    for (int i = 0; i < chunks; i++) {
                        conn.writer().write(new byte[chunk]);
                        conn.writer().drain();
                        drained[0]++;
                    }
                    conn.writer().close();
                });
                // The peer reads nothing: sooner or later the writer's queue goes over the high-water mark...
                try (Timeout patience = Asyncio.timeout(PATIENCE)) {
                    while (conn.writer().writeBufferSize() <= WriteBuffer.DEFAULT_HIGH_WATER) {
                        Asyncio.sleep(ms(1));
                    }
                }
                // ... and then its drain() waits: the writer is stuck with most of its chunks unsent.
                for (int i = 0; i < 20; i++) {
                    Asyncio.sleep(Duration.ZERO);
                }
                assertFalse(writing.done());
                int stuckAt = drained[0];
                assertTrue(stuckAt < chunks, "drained " + stuckAt);
                startReading.set();
                writing.await();
                assertEquals((long) chunk * chunks, received.await());
                assertEquals(chunks, drained[0]);
            }
        });
    }

    @Test
    void aReadThatWaitsLetsTheLoopRunOtherCoroutines() throws Exception {
        List<String> events = run(() -> {
            List<String> log = new ArrayList<>();
            Future<StreamWriter> serverSide = loop.createFuture();
            try (Server server = Streams.startServer((reader, writer) -> {
                serverSide.setResult(writer);
                reader.read(); // keep the connection until the client's EOF
            }, HOST, 0)) {
                Connection conn = Streams.openConnection(HOST, port(server));
                Task<byte[]> reading = Asyncio.createTask(() -> {
                    log.add("reading");
                    byte[] line = conn.reader().readLine();
                    log.add("read " + text(line).trim());
                    return line;
                });
                Task<Void> other = Asyncio.createTask(() -> {
                    log.add("other ran while the read waited");
                    serverSide.await().write(bytes("hello\n"));
                });
                other.await();
                reading.await();
                conn.writer().close();
            }
            return log;
        });
        assertEquals(List.of("reading", "other ran while the read waited", "read hello"), events);
    }

    @Test
    void aWaitingReadTimesOutWithoutLosingBytes() throws Exception {
        String line = run(() -> {
            Future<StreamWriter> serverSide = loop.createFuture();
            try (Server server = Streams.startServer((reader, writer) -> {
                serverSide.setResult(writer);
                reader.read();
            }, HOST, 0)) {
                Connection conn = Streams.openConnection(HOST, port(server));
                assertThrows(TimeoutException.class, () -> Asyncio.waitFor(() -> conn.reader().readLine(), ms(20)));
                serverSide.await().write(bytes("after the timeout\n"));
                byte[] got = conn.reader().readLine();
                conn.writer().close();
                return text(got);
            }
        });
        assertEquals("after the timeout\n", line);
    }

    // =====================================================================================
    // The reader's contract (CPython's StreamTests, on a reader fed by hand)

    @Test
    void aReadCancelledJustAsItsBytesArriveLosesNone() throws Exception {
        // The bytes wake the waiting read and the cancellation comes in the same step: the read
        // ends cancelled, and the bytes stay in the buffer for the next one.
        String line = run(() -> {
            StreamReader reader = new StreamReader();
            Task<byte[]> reading = Asyncio.createTask(reader::readLine);
            Asyncio.sleep(Duration.ZERO); // it waits for a line
            reader.feedData(bytes("part "));
            Asyncio.sleep(Duration.ZERO); // it took a look, and waits for the rest
            reader.feedData(bytes("rest\n"));
            reading.cancel();
            assertThrows(CancelledException.class, reading::await);
            return text(reader.readLine());
        });
        assertEquals("part rest\n", line);
    }


    @Test
    void readReturnsWhatIsBufferedUpToN() throws Exception {
        run(() -> {
            StreamReader reader = new StreamReader();
            reader.feedData(bytes("line1\nline2\n"));
            assertEquals("line1", text(reader.read(5)));
            assertEquals("\nline2\n", text(reader.read(100)));
            reader.feedEof();
            assertEquals(0, reader.read(5).length);
            assertTrue(reader.atEof());
        });
    }

    @Test
    void readWithNegativeCountReadsToTheEnd() throws Exception {
        String all = run(() -> {
            StreamReader reader = new StreamReader();
            Task<byte[]> reading = Asyncio.createTask(() -> reader.read(-1));
            Asyncio.sleep(Duration.ZERO);
            reader.feedData(bytes("chunk1\n"));
            reader.feedData(bytes("chunk2"));
            Asyncio.sleep(Duration.ZERO);
            assertFalse(reading.done());
            reader.feedEof();
            return text(reading.await());
        });
        assertEquals("chunk1\nchunk2", all);
    }

    @Test
    void readExactlyWaitsForAllItsBytes() throws Exception {
        String got = run(() -> {
            StreamReader reader = new StreamReader();
            Task<byte[]> reading = Asyncio.createTask(() -> reader.readExactly(8));
            reader.feedData(bytes("1234"));
            Asyncio.sleep(Duration.ZERO);
            assertFalse(reading.done());
            reader.feedData(bytes("56789"));
            String first = text(reading.await());
            assertEquals("9", text(reader.read(10)));
            return first;
        });
        assertEquals("12345678", got);
    }

    @Test
    void readExactlyAtTheEndThrowsIncompleteReadWithThePartialBytes() throws Exception {
        IncompleteReadException e = run(() -> {
            StreamReader reader = new StreamReader();
            reader.feedData(bytes("abc"));
            reader.feedEof();
            IncompleteReadException thrown = assertThrows(IncompleteReadException.class, () -> reader.readExactly(5));
            assertTrue(reader.atEof(), "the partial bytes are taken out of the buffer");
            return thrown;
        });
        assertEquals("abc", text(e.partial()));
        assertEquals(OptionalInt.of(5), e.expected());
        assertInstanceOf(java.io.EOFException.class, e);
    }

    @Test
    void readLineReturnsTheLastUnterminatedLineAtTheEnd() throws Exception {
        List<String> lines = run(() -> {
            StreamReader reader = new StreamReader();
            reader.feedData(bytes("one\ntwo"));
            reader.feedEof();
            return List.of(text(reader.readLine()), text(reader.readLine()), text(reader.readLine()));
        });
        assertEquals(List.of("one\n", "two", ""), lines);
    }

    @Test
    void readUntilReturnsThroughTheSeparator() throws Exception {
        List<String> parts = run(() -> {
            StreamReader reader = new StreamReader();
            reader.feedData(bytes("key: value\r\n\r\nbody"));
            return List.of(text(reader.readUntil(bytes("\r\n"))), text(reader.readUntil(bytes("\r\n"))));
        });
        assertEquals(List.of("key: value\r\n", "\r\n"), parts);
    }

    @Test
    void readUntilAtTheEndThrowsIncompleteReadWithoutACount() throws Exception {
        IncompleteReadException e = run(() -> {
            StreamReader reader = new StreamReader();
            reader.feedData(bytes("no separator"));
            reader.feedEof();
            return assertThrows(IncompleteReadException.class, () -> reader.readUntil(bytes("!")));
        });
        assertEquals("no separator", text(e.partial()));
        assertEquals(OptionalInt.empty(), e.expected());
    }

    @Test
    void readUntilBeyondTheLimitThrowsLimitOverrunAndKeepsTheBytes() throws Exception { // test_readuntil_limit_found_sep
        run(() -> {
            StreamReader reader = new StreamReader(3);
            reader.feedData(bytes("some dataAA"));
            LimitOverrunException e = assertThrows(LimitOverrunException.class, () -> reader.readUntil(bytes("AAA")));
            assertTrue(e.getMessage().contains("not found"), e.getMessage());
            assertEquals("some dataAA", text(reader.read(100)), "the bytes stay in the buffer");
            reader.feedData(bytes("some dataAAA"));
            e = assertThrows(LimitOverrunException.class, () -> reader.readUntil(bytes("AAA")));
            assertTrue(e.getMessage().contains("is found"), e.getMessage());
            assertEquals(9, e.consumed());
        });
    }

    @Test
    void readLineLongerThanTheLimitIsDroppedAndRefused() throws Exception { // test_readline_limit
        run(() -> {
            StreamReader reader = new StreamReader(7);
            reader.feedData(bytes("1234567890\nnext\n"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, reader::readLine);
            assertInstanceOf(LimitOverrunException.class, e.getCause());
            assertEquals("next\n", text(reader.readLine()));
        });
    }

    @Test
    void twoCoroutinesMayNotWaitOnOneReader() throws Exception {
        run(() -> {
            StreamReader reader = new StreamReader();
            Task<byte[]> first = Asyncio.createTask(reader::readLine);
            Asyncio.sleep(Duration.ZERO);
            IllegalStateException e = assertThrows(IllegalStateException.class, reader::readLine);
            assertTrue(e.getMessage().contains("already waiting"), e.getMessage());
            first.cancel();
        });
    }

    @Test
    void anExceptionSetOnTheReaderComesOutOfEveryRead() throws Exception {
        run(() -> {
            StreamReader reader = new StreamReader();
            Task<byte[]> waiting = Asyncio.createTask(reader::readLine);
            Asyncio.sleep(Duration.ZERO);
            reader.setException(new SocketException("Connection reset"));
            assertThrows(SocketException.class, waiting::await);
            assertThrows(SocketException.class, () -> reader.read(1));
        });
    }

    @Test
    void badArgumentsAreRefusedWithTheirReason() throws Exception {
        run(() -> {
            StreamReader reader = new StreamReader();
            assertThrows(IllegalArgumentException.class, () -> new StreamReader(0));
            assertThrows(IllegalArgumentException.class, () -> reader.readExactly(-1));
            assertThrows(IllegalArgumentException.class, () -> reader.readUntil(new byte[0]));
            assertThrows(IllegalArgumentException.class, () -> Streams.openConnection(HOST, 70000));
            assertThrows(IllegalArgumentException.class, () -> Streams.startServer((r, w) -> {}, HOST, -1));
            assertThrows(NullPointerException.class, () -> Streams.openConnection(null, 80));
        });
        assertThrows(IllegalStateException.class, StreamReader::new, "a reader needs a running loop");
    }

    // =====================================================================================
    // Errors and closing

    @Test
    void connectingWhereNobodyListensIsRefused() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getByName(HOST))) {
            port = probe.getLocalPort(); // free now that the probe is closed
        }
        int free = port;
        assertThrows(ConnectException.class, () -> run(() -> Streams.openConnection(HOST, free)));
    }

    @Test
    void aPeerThatResetsTheConnectionFailsTheReadWithTheReason() throws Exception {
        Throwable failure = run(() -> {
            Future<Throwable> seen = loop.createFuture();
            try (Server server = Streams.startServer((reader, writer) -> {
                try {
                    reader.read();
                    seen.setResult(null);
                } catch (IOException e) {
                    seen.setResult(e);
                    assertThrows(IOException.class, writer::drain, "the writer learns it too");
                }
            }, HOST, 0)) {
                Asyncio.toThread(() -> {
                    try (Socket rude = new Socket(HOST, port(server))) {
                        rude.getOutputStream().write(bytes("half a message"));
                        rude.setSoLinger(true, 0); // close with RST, not FIN
                    }
                    return null;
                });
                return seen.await();
            }
        });
        assertInstanceOf(SocketException.class, failure);
    }

    @Test
    void aPeerThatResetsWhileCloseFlushesEndsTheConnection() throws Exception {
        // The server queues far more than the socket buffers hold and closes: its transport is
        // closing, still writing, when the client resets. That failure must close it anyway.
        run(() -> {
            Future<StreamWriter> closing = loop.createFuture();
            Future<Void> closed = loop.createFuture();
            try (Server server = Streams.startServer((reader, writer) -> {
                writer.write(new byte[8 << 20]);
                writer.close();
                closing.setResult(writer);
                writer.waitClosed();
                closed.setResult(null);
            }, HOST, 0)) {
                Socket client = Asyncio.toThread(() -> new Socket(HOST, port(server)));
                StreamWriter writer = closing.await();
                assertTrue(writer.isClosing());
                Asyncio.toThread(() -> {
                    client.setSoLinger(true, 0); // close with RST, not FIN
                    client.close();
                    return null;
                });
                Asyncio.waitFor(closed, PATIENCE); // waitClosed() returns: the socket is closed
            }
        });
    }

    @Test
    void anUnknownHostIsAnUnknownHostException() {
        assertThrows(java.net.UnknownHostException.class,
                () -> run(() -> Asyncio.waitFor(() -> Streams.openConnection("no-such-host.invalid", 80), PATIENCE)));
    }

    @Test
    void cancellingStartServerWhileItBindsLeavesNoListeningSocket() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getByName(HOST))) {
            port = probe.getLocalPort();
        }
        run(() -> {
            for (int i = 0; i < 20; i++) {
                Task<Server> starting = Asyncio.createTask(() -> Streams.startServer((reader, writer) -> { }, HOST, port));
                Asyncio.sleep(Duration.ZERO); // it now waits for its bind, on another thread
                starting.cancel();
                try {
                    starting.await().close(); // it may have finished first
                } catch (CancelledException expected) {
                    // the usual case
                }
                try (ServerSocket again = new ServerSocket()) { // the port is free again
                    again.setReuseAddress(true);
                    again.bind(new InetSocketAddress(HOST, port));
                }
            }
        });
    }

    @Test
    void raisingTheLimitsWhileAWriterWaitsInDrainLosesNoWakeUp() throws Exception {
        run(() -> {
            Event startReading = new Event();
            try (Server server = Streams.startServer((reader, writer) -> {
                startReading.await();
                reader.read();
            }, HOST, 0)) {
                Connection conn = Streams.openConnection(HOST, port(server));
                Task<Void> draining = Asyncio.createTask(() -> {
                    conn.writer().write(new byte[16 << 20]); // far over the high-water mark
                    conn.writer().drain();
                });
                Asyncio.sleep(Duration.ZERO);
                assertFalse(draining.done(), "the peer reads nothing: drain() waits");
                conn.writer().setWriteBufferLimits(64 << 20, -1);
                startReading.set();
                Asyncio.waitFor(draining, PATIENCE);
                conn.writer().close();
            }
        });
    }

    @Test
    void aReaderStaysBoundedWhileACoroutineHoldsTheLoopAndThePeerFloods() throws Exception {
        int limit = 1024;
        run(() -> {
            try (Server server = Streams.startServer((reader, writer) -> {
                for (int i = 0; i < 64; i++) { // 64 MiB, as fast as the client lets it
                    writer.write(new byte[1 << 20]);
                    writer.drain();
                }
                writer.close();
            }, HOST, 0)) {
                Connection conn = Streams.openConnection(HOST, port(server), limit);
                Asyncio.sleep(Duration.ZERO);
                Thread.sleep(1000); // the behaviour under test: a coroutine holding the loop, as debug mode reports
                for (int i = 0; i < 3; i++) {
                    Asyncio.sleep(Duration.ZERO); // the loop takes in what was read meanwhile
                }
                // Twice the limit (where the reader pauses), plus what the reading thread may
                // run ahead of the loop, plus the read in flight when it stopped.
                int bound = 2 * limit + Transport.READ_AHEAD + 64 * 1024;
                assertTrue(conn.reader().buffered() <= bound, conn.reader() + " is over " + bound);
                conn.writer().abort();
            }
        });
    }

    @Test
    void aHalfClosedConnectionStillCarriesTheAnswer() throws Exception {
        List<String> got = run(() -> {
            try (Server server = Streams.startServer((reader, writer) -> {
                byte[] request = reader.read(); // to the client's EOF
                boolean atEof = reader.atEof();
                writer.write(bytes("got " + request.length + " bytes, atEof=" + atEof + "\n"));
            }, HOST, 0)) {
                Connection conn = Streams.openConnection(HOST, port(server));
                conn.writer().write(bytes("12345"));
                assertTrue(conn.writer().canWriteEof());
                conn.writer().writeEof();
                assertThrows(IllegalStateException.class, () -> conn.writer().write(bytes("late")));
                assertFalse(conn.writer().isClosing(), "only the sending direction is closed");
                String answer = text(conn.reader().readLine());
                String end = text(conn.reader().read());
                conn.writer().close();
                conn.writer().waitClosed();
                assertTrue(conn.writer().isClosing());
                return List.of(answer, end);
            }
        });
        assertEquals(List.of("got 5 bytes, atEof=true\n", ""), got);
    }

    @Test
    void aClosedServerRefusesNewClientsWhileConnectedOnesGoOn() throws Exception {
        run(() -> {
            Server server = startEchoServer();
            int port = port(server);
            Connection conn = Streams.openConnection(HOST, port);
            conn.writer().write(bytes("before\n"));
            assertEquals("before\n", text(conn.reader().readLine()));

            server.close();
            assertFalse(server.isServing());
            assertEquals(List.of(), server.sockets());

            conn.writer().write(bytes("after\n"));
            assertEquals("after\n", text(conn.reader().readLine()), "the connected client is still served");
            Task<Void> waiting = Asyncio.createTask(server::waitClosed);
            for (int i = 0; i < 10; i++) {
                Asyncio.sleep(Duration.ZERO);
            }
            assertFalse(waiting.done(), "waitClosed waits for the connected client");
            conn.writer().close();
            waiting.await();
            assertThrows(ConnectException.class, () -> Streams.openConnection(HOST, port), "nobody listens any more");
        });
    }

    @Test
    void closeClientsEndsTheConnectedClientsStreams() throws Exception {
        run(() -> {
            Server server = startEchoServer();
            Connection conn = Streams.openConnection(HOST, port(server));
            conn.writer().write(bytes("ping\n"));
            assertEquals("ping\n", text(conn.reader().readLine()));
            server.close();
            server.closeClients();
            assertEquals(0, conn.reader().read().length, "the client reads the end of the stream");
            server.waitClosed();
            conn.writer().close();
        });
    }

    @Test
    void serveForeverReturnsWhenTheServerIsClosed() throws Exception {
        run(() -> {
            Server server = startEchoServer();
            Task<Void> serving = Asyncio.createTask(server::serveForever);
            Asyncio.sleep(Duration.ZERO);
            assertThrows(IllegalStateException.class, server::serveForever, "only one coroutine serves forever");
            server.close();
            serving.await();
            assertThrows(IllegalStateException.class, server::serveForever, "a closed server cannot serve");
        });
    }

    @Test
    void writingAfterCloseIsRefused() throws Exception {
        run(() -> {
            try (Server server = startEchoServer()) {
                Connection conn = Streams.openConnection(HOST, port(server));
                conn.writer().close();
                IllegalStateException e = assertThrows(IllegalStateException.class,
                        () -> conn.writer().write(bytes("x")));
                assertTrue(e.getMessage().contains("close"), e.getMessage());
                conn.writer().waitClosed();
                assertThrows(IOException.class, () -> conn.writer().drain(), "the connection is gone");
            }
        });
    }

    @Test
    void closingTheLoopClosesServersAndConnectionsLeftOpen() throws Exception {
        InetSocketAddress[] address = new InetSocketAddress[1];
        run(() -> {
            Server server = startEchoServer();
            address[0] = server.address();
            Connection conn = Streams.openConnection(HOST, port(server));
            conn.writer().write(bytes("left open\n"));
            conn.reader().readLine();
        });
        loop.close();
        awaitUntil(() -> openSockets() <= socketsBefore);
        assertThrows(ConnectException.class, () -> new Socket(HOST, address[0].getPort()).close());
    }

    @Test
    void theWriterTellsItsPeerAndItsOwnAddress() throws Exception {
        run(() -> {
            try (Server server = startEchoServer()) {
                Connection conn = Streams.openConnection(HOST, port(server));
                InetSocketAddress peer = (InetSocketAddress) conn.writer().getExtraInfo("peername");
                assertEquals(port(server), peer.getPort());
                assertInstanceOf(InetSocketAddress.class, conn.writer().getExtraInfo("sockname"));
                assertEquals(null, conn.writer().getExtraInfo("no such thing"));
                conn.writer().close();
            }
        });
    }
}

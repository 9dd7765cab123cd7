package dev.pyloom.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.asyncio.Asyncio;
import dev.pyloom.asyncio.streams.Connection;
import dev.pyloom.asyncio.streams.IncompleteReadException;
import dev.pyloom.asyncio.streams.Server;
import dev.pyloom.asyncio.streams.StreamReader;
import dev.pyloom.asyncio.streams.StreamWriter;
import dev.pyloom.asyncio.streams.Streams;
import dev.pyloom.ipc.FrameTooLargeException;
import dev.pyloom.ipc.Pipe;
import dev.pyloom.ipc.Queue;
import dev.pyloom.it.programs.Echoes;
import dev.pyloom.multiprocessing.Pool;
import dev.pyloom.multiprocessing.PyProcess;
import dev.pyloom.multiprocessing.ResultIterator;
import dev.pyloom.testing.Spawned;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * Payloads of every size that crosses a buffer boundary, from one byte to 8 MiB, through each
 * way pyloom moves data, both ways: a Pipe and a Queue between this process and a child, a
 * Pool's {@code apply}, {@code map} and {@code imap}, and asyncio streams. Each exchange checks
 * the payload byte for byte, and each test has a time limit, so a size that makes anything wait
 * for ever fails instead of hanging the build.
 *
 * <p>The boundaries: the 4 KiB buffer a connection reads its handshake with, the 64 KiB read
 * buffer (a frame of 65,531 payload bytes fills it exactly, with its 5-byte header), the 256 KiB
 * slice a large frame is read and written in, 1 MiB (a large frame's first allocation), and a
 * socket buffer many times over.
 */
class PayloadSizesIT {

    private static final int[] SIZES = {
        1, 100, 4_091, 4_096, 65_530, 65_531, 65_532, 65_536, 262_144, 262_149, (1 << 20) - 1, 1 << 20, (1 << 20) + 1,
        8 << 20,
    };

    /** Reached only when something hangs. */
    private static final Duration LIMIT = Duration.ofSeconds(120);
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Test
    void aPipeToAChildCarriesEverySizeBothWays() {
        assertTimeoutPreemptively(LIMIT, () -> {
            Pipe pipe = Pipe.open();
            PyProcess echo = new PyProcess(Echoes::pipe, pipe.conn2());
            try (dev.pyloom.ipc.Connection conn = pipe.conn1()) {
                echo.start();
                for (int size : SIZES) {
                    conn.sendBytes(Echoes.bytes(size));
                    assertArrayEquals(Echoes.bytes(size), conn.recvBytes(), size + " bytes, there and back");
                }
                // Back to back, sent by one thread while this one reads (a single thread sending
                // them all first would wait for ever, in Python too: the child's answers fill the
                // socket, the child waits for this side to read them, and stops reading).
                Spawned<Void> sender = Spawned.run(() -> {
                    for (int size : SIZES) {
                        conn.sendBytes(Echoes.bytes(size));
                    }
                });
                for (int size : SIZES) {
                    assertArrayEquals(Echoes.bytes(size), conn.recvBytes(), size + " bytes, sent back to back");
                }
                sender.join();
                conn.close();
                assertTrue(echo.join(PATIENCE), "the child ended at the end of the stream");
            } finally {
                Children.reap(echo);
            }
            assertEquals(OptionalInt.of(0), echo.exitCode());
        });
    }

    @Test
    void aMessageOverTheLimitFailsAtTheSenderAndTheConnectionGoesOn() {
        assertTimeoutPreemptively(LIMIT, () -> {
            Pipe pipe = Pipe.open();
            PyProcess echo = new PyProcess(Echoes::pipe, pipe.conn2());
            try (dev.pyloom.ipc.Connection conn = pipe.conn1()) {
                echo.start();
                FrameTooLargeException tooLarge = assertThrows(FrameTooLargeException.class,
                        () -> conn.sendBytes(new byte[(64 << 20) + 1]));
                assertTrue(tooLarge.getMessage().contains("67108865"), tooLarge.getMessage());
                conn.sendBytes(Echoes.bytes(64 << 20));
                assertArrayEquals(Echoes.bytes(64 << 20), conn.recvBytes(), "a message at the limit, there and back");
            } finally {
                Children.reap(echo);
            }
        });
    }

    @Test
    void aQueueToAChildAndBackCarriesEverySize() {
        assertTimeoutPreemptively(LIMIT, () -> {
            Queue<String> there = Queue.of(String.class);
            Queue<String> back = Queue.of(String.class);
            PyProcess echo = new PyProcess(Echoes::queue, there, back);
            try {
                echo.start();
                for (int size : SIZES) {
                    there.put(Echoes.text(size));
                    assertEquals(Echoes.text(size), back.get(PATIENCE), size + " characters, there and back");
                }
                for (int size : SIZES) { // a queue's put never waits for its reader: no thread needed
                    there.put(Echoes.text(size));
                }
                for (int size : SIZES) {
                    assertEquals(Echoes.text(size), back.get(PATIENCE), size + " characters, put back to back");
                }
                there.put(Echoes.STOP);
                assertTrue(echo.join(PATIENCE));
            } finally {
                Children.reap(echo);
            }
            assertEquals(OptionalInt.of(0), echo.exitCode());
        });
    }

    @Test
    void aPoolCarriesEverySizeThroughApplyMapAndImap() {
        assertTimeoutPreemptively(LIMIT, () -> {
            List<String> texts = Arrays.stream(SIZES).mapToObj(Echoes::text).toList();
            List<Integer> sizes = Arrays.stream(SIZES).boxed().toList();
            try (Pool pool = new Pool(2)) {
                for (int size : SIZES) {
                    assertEquals(Echoes.upper(Echoes.text(size)), pool.apply(Echoes::upper, Echoes.text(size)),
                            "apply, " + size + " characters each way");
                }
                assertEquals(sizes, pool.map(Echoes::length, texts), "map: large arguments, small results");
                assertEquals(sizes, pool.map(Echoes::length, texts, 1), "map, one item a task");
                List<String> made = new ArrayList<>();
                ResultIterator<String> results = pool.imap(Echoes::made, sizes);
                while (results.hasNext()) {
                    made.add(results.next());
                }
                assertEquals(texts, made, "imap: small arguments, large results");
                assertEquals(texts.stream().map(Echoes::upper).toList(), pool.map(Echoes::upper, texts, 3),
                        "map, large both ways, several items a task");
                pool.close();
                pool.join();
            }
        });
    }

    @Test
    void asyncioStreamsCarryEverySizeBothWays() {
        assertTimeoutPreemptively(LIMIT, () -> Asyncio.run(() -> {
            Server server = Streams.startServer(PayloadSizesIT::echoLengthPrefixed, "127.0.0.1", 0);
            try {
                Connection client = Streams.openConnection("127.0.0.1", server.address().getPort());
                for (int size : SIZES) {
                    client.writer().write(ByteBuffer.allocate(4).putInt(size).array());
                    client.writer().write(Echoes.bytes(size));
                    client.writer().drain();
                    assertArrayEquals(Echoes.bytes(size), client.reader().readExactly(size), size + " bytes, there and back");
                }
                client.writer().close();
                client.writer().waitClosed();
            } finally {
                server.close();
                server.waitClosed();
            }
        }));
    }

    @Test
    void anAsyncioLineOverTheReadersLimitFailsAndTheStreamGoesOn() {
        assertTimeoutPreemptively(LIMIT, () -> Asyncio.run(() -> {
            int limit = 64 << 10;
            Server server = Streams.startServer((reader, writer) -> {
                writer.write(("x".repeat(limit + 1) + "\n").getBytes());
                writer.write("next\n".getBytes());
                writer.drain();
                writer.close();
            }, "127.0.0.1", 0);
            try {
                Connection client = Streams.openConnection("127.0.0.1", server.address().getPort(), limit);
                assertThrows(IllegalArgumentException.class, () -> client.reader().readLine(), "a line over the limit");
                assertEquals("next\n", new String(client.reader().readLine()), "the line after it");
                client.writer().close();
            } finally {
                server.close();
                server.waitClosed();
            }
        }));
    }

    /** Reads a 4-byte length and that many bytes, and sends them back, until the client closes. */
    private static void echoLengthPrefixed(StreamReader reader, StreamWriter writer) throws Exception {
        try {
            for (;;) {
                int size = ByteBuffer.wrap(reader.readExactly(4)).getInt();
                writer.write(reader.readExactly(size));
                writer.drain();
            }
        } catch (IncompleteReadException end) {
            // the client closed between messages
        } finally {
            writer.close();
        }
    }
}

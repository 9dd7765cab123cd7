package dev.pyloom.ipc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.ipc.internal.Frame;
import dev.pyloom.ipc.internal.FrameChannel;
import dev.pyloom.ipc.internal.FrameKind;
import dev.pyloom.ipc.internal.Sockets;
import dev.pyloom.testing.Spawned;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * How pyloom's sockets wait, attacked as users would: descriptors (none per waiting thread, none
 * left after any way of closing), close racing a first wait, interrupts at every point of a read
 * or a send (nothing lost, nothing read twice, remote queue replies never cut), sizes across
 * every buffer boundary both ways at once, polls with the smallest timeouts.
 */
class SocketWaitsTest {

    /**
     * Opens what is opened once per process before anything is counted: the JDK's pollers, the
     * shared selector, and every selector of the pool (as many readers as it holds, and more,
     * waiting at once).
     */
    @org.junit.jupiter.api.BeforeAll
    static void warmUp() throws Exception {
        Pipe p = Pipe.open();
        p.conn1().send("warm");
        p.conn2().recv();
        Spawned<Object> reader = Spawned.call(() -> p.conn2().recv()).awaitBlocked();
        // A writer to an end nobody reads: it blocks for certain, whatever the machine's load.
        Pipe unread = Pipe.open();
        Spawned<Void> writer = Spawned.run(() -> unread.conn1().sendBytes(new byte[8 << 20])).awaitBlocked();
        p.conn1().close();
        unread.conn1().close();
        reader.failure();
        writer.failure();
        p.conn2().close();
        unread.conn2().close();
        List<Pipe> pipes = new ArrayList<>();
        List<Spawned<Object>> readers = new ArrayList<>();
        for (int i = 0; i < dev.pyloom.ipc.internal.Poller.POOLED_SELECTORS + 8; i++) {
            Pipe pipe = Pipe.open();
            pipes.add(pipe);
            readers.add(Spawned.call(() -> pipe.conn2().recv()));
        }
        for (Spawned<Object> waiting : readers) {
            waiting.awaitBlocked();
        }
        for (Pipe pipe : pipes) {
            pipe.conn1().close();
        }
        for (Spawned<Object> waiting : readers) {
            waiting.failure();
        }
        for (Pipe pipe : pipes) {
            pipe.conn2().close();
        }
    }

    // ------------------------------------------------------------------ file descriptors

    /**
     * Threads waiting on sockets cost no descriptors beyond the pool's selectors (opened by
     * {@link #warmUp()}), however many they are.
     */
    @Test
    void blockedReadersCostABoundedNumberOfDescriptors() throws Exception {
        int n = dev.pyloom.ipc.internal.Poller.POOLED_SELECTORS + 64;
        long before = Descriptors.count();
        List<Pipe> pipes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Pipe p = Pipe.open();
            p.conn1().send("warm");
            p.conn2().recv();
            pipes.add(p);
        }
        long connected = Descriptors.count();
        List<Spawned<Object>> readers = new ArrayList<>();
        for (Pipe p : pipes) {
            readers.add(Spawned.call(() -> p.conn2().recv()).awaitBlocked());
        }
        long waiting = Descriptors.count();
        assertTrue(waiting <= connected + 3, n + " blocked readers: " + connected + " descriptors before, "
                + waiting + " with them waiting");
        for (Pipe p : pipes) {
            p.conn1().send("x");
        }
        for (Spawned<Object> r : readers) {
            assertEquals("x", r.join());
        }
        for (Pipe p : pipes) {
            p.conn1().close();
            p.conn2().close();
        }
        Descriptors.awaitBackTo(before);
    }

    @Test
    void closingRacingTheFirstBlockingReadWakesItAndLeaksNothing() throws Exception {
        long before = Descriptors.count();
        for (int i = 0; i < 500; i++) {
            Pipe p = Pipe.open();
            p.conn1().send("warm");
            p.conn2().recv(); // connected, no selector yet
            Spawned<Object> reader = Spawned.call(() -> p.conn2().recv());
            if (i % 2 == 0) {
                Thread.yield();
            }
            p.conn2().close();
            Throwable failure = reader.failure();
            assertInstanceOf(IOException.class, failure);
            p.conn1().close();
        }
        Descriptors.awaitBackTo(before);
    }

    @Test
    void closingRacingTheFirstBlockingPollWakesItAndLeaksNothing() throws Exception {
        long before = Descriptors.count();
        for (int i = 0; i < 500; i++) {
            Pipe p = Pipe.open();
            p.conn1().send("warm");
            p.conn2().recv();
            Spawned<Boolean> poller = Spawned.call(() -> p.conn2().poll(Spawned.PATIENCE));
            p.conn2().close();
            Throwable failure;
            try {
                Boolean got = poller.join();
                failure = new AssertionError("poll returned " + got + " after close");
            } catch (IOException e) {
                failure = null;
            }
            if (failure != null) {
                throw (AssertionError) failure;
            }
            p.conn1().close();
        }
        Descriptors.awaitBackTo(before);
    }

    @Test
    void closedByThePeerWithABlockedReaderThenClosedHereLeaksNothing() throws Exception {
        long before = Descriptors.count();
        for (int i = 0; i < 300; i++) {
            Pipe p = Pipe.open();
            p.conn1().send("warm");
            p.conn2().recv();
            Spawned<Object> reader = Spawned.call(() -> p.conn2().recv()).awaitBlocked();
            p.conn1().close();
            assertInstanceOf(EOFException.class, reader.failure());
            p.conn2().close();
        }
        Descriptors.awaitBackTo(before);
    }

    @Test
    void badInputWithABlockedReaderLeaksNothing() throws Exception {
        try (Listener listener = Listener.builder().maxFrameBytes(1 << 20).open()) {
            long before = Descriptors.count();
            for (int i = 0; i < 300; i++) {
                try (RawPeer peer = RawPeer.connect(listener.address());
                        Connection accepted = listener.accept()) {
                    Spawned<Object> reader = Spawned.call(accepted::recv).awaitBlocked();
                    peer.header(10, 9); // unknown kind: failed()
                    assertInstanceOf(IOException.class, reader.failure());
                }
            }
            Descriptors.awaitBackTo(before);
        }
    }

    @Test
    void listenerClientOpenCloseWithBlockedReadersAndWritersLeaksNothing() throws Exception {
        byte[] key = "k".getBytes();
        try (Listener listener = Listener.builder().authKey(key).open()) {
            long before = Descriptors.count();
            for (int i = 0; i < 200; i++) {
                Spawned<Connection> acc = Spawned.call(listener::accept);
                Connection client = Client.connect(listener.address(), key);
                Connection server = acc.join();
                Spawned<Object> reader = Spawned.call(client::recv).awaitBlocked();
                Spawned<Void> writer = Spawned.run(() -> client.sendBytes(new byte[8 << 20])).awaitBlocked();
                if (i % 2 == 0) {
                    client.close();
                    assertInstanceOf(IOException.class, writer.failure());
                    assertInstanceOf(IOException.class, reader.failure());
                    server.close();
                } else {
                    server.close();
                    assertInstanceOf(EOFException.class, reader.failure());
                    assertInstanceOf(IOException.class, writer.failure());
                    client.close();
                }
            }
            Descriptors.awaitBackTo(before);
        }
    }

    @Test
    void remoteQueueSessionsLeakNothing() throws Exception {
        try (Queue<Integer> owner = Queue.of(Integer.class)) {
            owner.put(0);
            try (Queue<Integer> warm = Queue.fromHandle(owner.toHandle(), Integer.class)) {
                warm.get(); // starts the exporter
            }
            long before = Descriptors.count();
            for (int i = 0; i < 300; i++) {
                try (Queue<Integer> remote = Queue.fromHandle(owner.toHandle(), Integer.class)) {
                    remote.put(i);
                    assertEquals(i, remote.get());
                }
            }
            Descriptors.awaitBackTo(before);
        }
    }

    @Test
    void relayedPipesLeakNothing() throws Exception {
        long before = Descriptors.count();
        for (int i = 0; i < 300; i++) {
            Pipe p = Pipe.open();
            p.conn1().send("warm");
            p.conn2().recv();
            Connection far = Connection.fromHandle(p.conn2().toHandle());
            p.conn1().send(i);
            assertEquals(i, far.recv());
            far.send(-i);
            assertEquals(-i, p.conn1().recv());
            Spawned<Object> reader = Spawned.call(far::recv).awaitBlocked();
            p.conn1().close();
            assertInstanceOf(EOFException.class, reader.failure());
            far.close();
            p.conn2().close();
        }
        Descriptors.awaitBackTo(before);
    }

    @Test
    void handshakeTimeoutsAndPushedOutHandshakesLeakNothing() throws Exception {
        try (Listener listener = Listener.builder().handshakeTimeout(Duration.ofMillis(50)).maxHandshakes(4).open()) {
            long before = Descriptors.count();
            List<SocketChannel> silent = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                silent.add(SocketChannel.open(listener.address()));
            }
            // the listener's side of every silent peer is closed (timeout or pushed out): each sees EOF
            for (SocketChannel s : silent) {
                assertEquals(-1, readUntilEof(s));
                s.close();
            }
            Descriptors.awaitBackTo(before);
        }
    }

    private static int readUntilEof(SocketChannel s) throws IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4096);
        int n;
        while ((n = s.read(b)) >= 0) {
            b.clear();
        }
        return n;
    }

    // ------------------------------------------------------------------ interrupts

    /** An interrupt arriving at any point of an uninterruptible read (a remote queue's reply) leaves it be. */
    @Test
    void readOwnedUninterruptiblyIsNeverEndedByAnInterrupt() throws Exception {
        SocketChannel[] pair = Sockets.pair();
        FrameChannel writerEnd = new FrameChannel(pair[0], 1 << 20);
        FrameChannel readerEnd = new FrameChannel(pair[1], 1 << 20);
        int n = 50_000;
        AtomicBoolean done = new AtomicBoolean();
        try {
            Spawned<Void> writer = Spawned.run(() -> {
                for (int i = 0; i < n; i++) {
                    writerEnd.write(FrameKind.CONTROL, new byte[] {'1'}, 0, 1);
                }
            });
            Spawned<Integer> reader = Spawned.call(() -> {
                int read = 0;
                try {
                    for (; read < n; read++) {
                        Frame f = readerEnd.readOwnedUninterruptibly();
                        Thread.interrupted();
                    }
                } catch (InterruptedIOException e) {
                    throw new AssertionError("readOwnedUninterruptibly ended by an interrupt after " + read
                            + " frames", e);
                } finally {
                    done.set(true);
                }
                return read;
            });
            Thread hammer = Thread.ofPlatform().start(() -> { // a platform thread: takes no carrier
                while (!done.get()) {
                    reader.thread().interrupt();
                    Thread.onSpinWait();
                }
            });
            assertEquals(n, reader.join());
            hammer.join();
            writer.join();
        } finally {
            done.set(true);
            writerEnd.close();
            readerEnd.close();
        }
    }

    /** Remote gets interrupted at any point lose no item and leave no reply unread. */
    @Test
    void interruptedRemoteGetsLoseNoItem() throws Exception {
        int n = 5_000;
        try (Queue<Integer> owner = Queue.of(Integer.class)) {
            for (int i = 0; i < n; i++) {
                owner.put(i);
            }
            AtomicBoolean done = new AtomicBoolean();
            List<Integer> got = new ArrayList<>();
            try (Queue<Integer> remote = Queue.fromHandle(owner.toHandle(), Integer.class)) {
                got.add(remote.get()); // the get lane is attached before any interrupt
                Spawned<List<Integer>> consumer = Spawned.call(() -> {
                    List<Integer> items = new ArrayList<>();
                    int interrupts = 0;
                    try {
                        while (items.size() + interrupts < n - 1) {
                            try {
                                items.add(remote.get(Duration.ofMillis(200)));
                            } catch (InterruptedIOException e) {
                                Thread.interrupted();
                                interrupts++;
                            } catch (QueueEmptyException e) {
                                break;
                            }
                        }
                    } finally {
                        done.set(true);
                        Thread.interrupted();
                    }
                    return items;
                });
                Thread hammer = Thread.ofPlatform().start(() -> { // a platform thread: takes no carrier
                    while (!done.get()) {
                        consumer.thread().interrupt();
                        for (int k = 0; k < 200; k++) {
                            Thread.onSpinWait();
                        }
                    }
                });
                got.addAll(consumer.join());
                hammer.join();
            }
            int left = owner.qsize();
            assertEquals(n, got.size() + left, "received " + got.size() + ", left in the queue " + left);
            List<Integer> sorted = new ArrayList<>(got);
            sorted.sort(null);
            assertEquals(got, sorted, "in order");
        }
    }

    // ------------------------------------------------------------------ sizes

    static final int[] SIZES = {0, 1, 4090, 4091, 4092, 4096, 65530, 65531, 65532, 65536, 65537,
        (256 << 10) - 1, 256 << 10, (256 << 10) + 1, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, 8 << 20};

    static byte[] pattern(int size, int seed) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    void duplex(Connection a, Connection b) throws Exception {
        Spawned<Void> aSends = Spawned.run(() -> {
            for (int s : SIZES) {
                a.sendBytes(pattern(s, 1));
                a.send("m" + s);
            }
        });
        Spawned<Void> bSends = Spawned.run(() -> {
            for (int s : SIZES) {
                b.sendBytes(pattern(s, 2));
                b.send("m" + s);
            }
        });
        Spawned<Void> aReads = Spawned.run(() -> {
            for (int s : SIZES) {
                assertArrayEquals(pattern(s, 2), a.recvBytes(), "size " + s);
                assertEquals("m" + s, a.recv());
            }
        });
        for (int s : SIZES) {
            assertArrayEquals(pattern(s, 1), b.recvBytes(), "size " + s);
            assertEquals("m" + s, b.recv());
        }
        aReads.join();
        aSends.join();
        bSends.join();
    }

    @Test
    void sizesAcrossBoundariesDuplexOnAPipe() throws Exception {
        Pipe p = Pipe.open();
        try {
            duplex(p.conn1(), p.conn2());
        } finally {
            p.conn1().close();
            p.conn2().close();
        }
    }

    @Test
    void sizesAcrossBoundariesDuplexOverAListener() throws Exception {
        byte[] key = "k".getBytes();
        try (Listener listener = Listener.builder().authKey(key).open()) {
            Spawned<Connection> acc = Spawned.call(listener::accept);
            try (Connection client = Client.connect(listener.address(), key);
                    Connection server = acc.join()) {
                duplex(client, server);
            }
        }
    }

    @Test
    void sizesAcrossBoundariesDuplexOverARelay() throws Exception {
        Pipe p = Pipe.open();
        p.conn1().send("warm");
        p.conn2().recv();
        try (Connection far = Connection.fromHandle(p.conn2().toHandle())) {
            duplex(p.conn1(), far);
        } finally {
            p.conn1().close();
        }
    }

    @Test
    void sizesAcrossBoundariesDuplexOnAPipeEndAttachedDirectly() throws Exception {
        Pipe p = Pipe.open();
        try (Connection far = Connection.fromHandle(p.conn2().toHandle())) {
            duplex(p.conn1(), far);
        } finally {
            p.conn1().close();
        }
    }

    // ------------------------------------------------------------------ poll

    @Test
    void tinyPollTimeouts() throws Exception {
        for (Duration d : List.of(Duration.ofNanos(1), Duration.ofNanos(1_000), Duration.ofNanos(999_000),
                Duration.ofNanos(1_000_001))) {
            Pipe p = Pipe.open();
            try {
                assertFalse(p.conn2().poll(d), "nothing sent; " + d);
                for (int i = 0; i < 100; i++) {
                    p.conn1().send("x");
                    assertTrue(p.conn2().poll(d), "sent before the poll; " + d);
                    assertEquals("x", p.conn2().recv());
                    assertFalse(p.conn2().poll(d), "nothing sent; " + d);
                }
                p.conn1().close();
                assertTrue(p.conn2().poll(d), "end of stream; " + d);
            } finally {
                p.conn1().close();
                p.conn2().close();
            }
        }
    }

    @Test
    void recvBytesWithMaxLengthAfterAnInterruptedLargeRead() throws Exception {
        try (Listener generous = Listener.builder().maxFrameBytes(1 << 20).open()) {
            for (int max : new int[] {300_000, 299_999}) {
                try (RawPeer peer = RawPeer.connect(generous.address());
                        Connection accepted = generous.accept()) {
                    byte[] payload = pattern(300_000, 7);
                    peer.header(payload.length, 2).bytes(java.util.Arrays.copyOf(payload, 200_000));
                    Spawned<byte[]> reader = Spawned.call(accepted::recvBytes).awaitBlocked();
                    reader.thread().interrupt();
                    assertInstanceOf(InterruptedIOException.class, reader.failure());
                    assertTrue(accepted.poll(), "a large frame half-collected counts as readable");
                    peer.bytes(java.util.Arrays.copyOfRange(payload, 200_000, payload.length));
                    if (max >= payload.length) {
                        assertArrayEquals(payload, accepted.recvBytes(max));
                        peer.frame(2, new byte[] {1, 2});
                        assertArrayEquals(new byte[] {1, 2}, accepted.recvBytes(2));
                    } else {
                        IOException e = assertThrows(IOException.class, () -> accepted.recvBytes(max));
                        assertTrue(e.getMessage().contains("longer than maxLength"), e.getMessage());
                        assertFalse(accepted.readable());
                    }
                }
            }
        }
    }

    /** A large frame half-collected here, then the end goes to another process: the relay passes it on whole. */
    @Test
    void aHalfCollectedLargeFrameIsRelayedWhole() throws Exception {
        try (Listener generous = Listener.builder().maxFrameBytes(1 << 20).open()) {
            try (RawPeer peer = RawPeer.connect(generous.address());
                    Connection accepted = generous.accept()) {
                byte[] payload = pattern(300_000, 9);
                peer.header(payload.length, 2).bytes(java.util.Arrays.copyOf(payload, 200_000));
                Spawned<byte[]> reader = Spawned.call(accepted::recvBytes).awaitBlocked();
                reader.thread().interrupt();
                assertInstanceOf(InterruptedIOException.class, reader.failure());
                try (Connection far = Connection.fromHandle(accepted.toHandle())) {
                    peer.bytes(java.util.Arrays.copyOfRange(payload, 200_000, payload.length));
                    assertArrayEquals(payload, far.recvBytes());
                }
            }
        }
    }

    @Test
    void closingWhileASendIsBlockedWakesItAndThePeerSeesTheEnd() throws Exception {
        long before = Descriptors.count();
        for (int i = 0; i < 100; i++) {
            Pipe p = Pipe.open();
            p.conn1().send("warm");
            p.conn2().recv();
            Spawned<Void> sender = Spawned.run(() -> p.conn1().sendBytes(new byte[8 << 20])).awaitBlocked();
            p.conn1().close();
            assertInstanceOf(IOException.class, sender.failure());
            IOException e = assertThrows(IOException.class, () -> p.conn2().recvBytes());
            assertTrue(e instanceof EOFException || e.getMessage().contains("middle"), e.toString());
            p.conn2().close();
        }
        Descriptors.awaitBackTo(before);
    }

    /** After fromHandle returns, a send on the other end is there before send returns. */
    @Test
    void aSendAfterFromHandleIsThereAtOnce() throws Exception {
        for (int i = 0; i < 300; i++) {
            Pipe p = Pipe.open();
            String handle = p.conn2().toHandle();
            if (i % 2 == 0) {
                p.conn1().send("before"); // in the outbox until the far end attaches
            }
            try (Connection far = Connection.fromHandle(handle)) {
                p.conn1().send("after");
                assertTrue(far.poll(), "round " + i);
                if (i % 2 == 0) {
                    assertEquals("before", far.recv());
                }
                assertEquals("after", far.recv());
            } finally {
                p.conn1().close();
            }
        }
    }
    // ------------------------------------------------------------------ more interrupts

    @Test
    void anInterruptedRecvOnAPlatformThreadLeavesTheConnectionAsItWas() throws Exception {
        Pipe p = Pipe.open();
        try {
            p.conn1().send("warm");
            p.conn2().recv();
            java.util.concurrent.CompletableFuture<Throwable> outcome = new java.util.concurrent.CompletableFuture<>();
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    p.conn2().recv();
                    outcome.complete(null);
                } catch (Throwable e) {
                    outcome.complete(e);
                }
            });
            Spawned.awaitUntil(() -> t.getState() == Thread.State.RUNNABLE && stackHas(t, "EPoll")
                    || t.getState() == Thread.State.WAITING);
            t.interrupt();
            assertInstanceOf(InterruptedIOException.class, outcome.get());
            t.join();
            p.conn1().send("after");
            assertEquals("after", p.conn2().recv());
        } finally {
            p.conn1().close();
            p.conn2().close();
        }
    }

    static boolean stackHas(Thread t, String text) {
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.toString().contains(text)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aSmallSendInterruptedWhileTheSocketIsFullLeavesFramesWhole() throws Exception {
        Pipe p = Pipe.open();
        try {
            p.conn1().send("warm");
            p.conn2().recv();
            byte[] chunk = new byte[1000];
            Spawned<Integer> filler = Spawned.call(() -> {
                int sent = 0;
                try {
                    for (;;) {
                        p.conn1().sendBytes(chunk);
                        sent++;
                    }
                } catch (InterruptedIOException e) {
                    return sent;
                }
            }).awaitBlocked();
            filler.thread().interrupt();
            int sent = filler.join();
            boolean closed = p.conn1().isClosed();
            Spawned<Void> drain = Spawned.run(() -> {
                for (int i = 0; i < sent; i++) {
                    assertEquals(1000, p.conn2().recvBytes().length);
                }
            });
            drain.join();
            if (!closed) {
                p.conn1().send("after");
                assertEquals("after", p.conn2().recv());
            }
        } finally {
            p.conn1().close();
            p.conn2().close();
        }
    }

    @Test
    void anInterruptedRecvOnARelayedEndLeavesItAsItWas() throws Exception {
        Pipe p = Pipe.open();
        p.conn1().send("warm");
        p.conn2().recv();
        try (Connection far = Connection.fromHandle(p.conn2().toHandle())) {
            for (int size : new int[] {10, 100_000, 3 << 20}) {
                Spawned<byte[]> reader = Spawned.call(far::recvBytes).awaitBlocked();
                reader.thread().interrupt();
                assertInstanceOf(InterruptedIOException.class, reader.failure());
                Spawned<Void> sender = Spawned.run(() -> p.conn1().sendBytes(pattern(size, 3)));
                assertArrayEquals(pattern(size, 3), far.recvBytes());
                sender.join();
            }
        } finally {
            p.conn1().close();
        }
    }

    /** Repeated interrupts while a large frame trickles in: every message arrives whole, once, in order. */
    @Test
    void recvInterruptedAgainAndAgainDuringLargeFramesLosesNothing() throws Exception {
        Pipe p = Pipe.open();
        try {
            p.conn1().send("warm");
            p.conn2().recv();
            int[] sizes = {70_000, 300_000, 1 << 20, (8 << 20) + 3, 5, 65_536};
            Spawned<Void> sender = Spawned.run(() -> {
                for (int round = 0; round < 2; round++) {
                    for (int s : sizes) {
                        p.conn1().sendBytes(pattern(s, s + round));
                    }
                }
            });
            AtomicBoolean done = new AtomicBoolean();
            Spawned<Integer> receiver = Spawned.call(() -> {
                int interrupts = 0;
                try {
                    for (int round = 0; round < 2; round++) {
                        for (int s : sizes) {
                            byte[] expected = pattern(s, s + round);
                            for (;;) {
                                try {
                                    assertArrayEquals(expected, p.conn2().recvBytes());
                                    break;
                                } catch (InterruptedIOException e) {
                                    Thread.interrupted();
                                    interrupts++;
                                }
                            }
                        }
                    }
                } finally {
                    done.set(true);
                }
                return interrupts;
            });
            Thread hammer = Thread.ofPlatform().start(() -> { // a platform thread: takes no carrier
                while (!done.get()) {
                    if (receiver.thread().getState() == Thread.State.WAITING) { // waiting for bytes
                        receiver.thread().interrupt();
                    }
                    Thread.onSpinWait();
                }
            });
            receiver.join(); // every frame whole, in order (asserted as they come)
            hammer.join();
            sender.join();
        } finally {
            p.conn1().close();
            p.conn2().close();
        }
    }
}

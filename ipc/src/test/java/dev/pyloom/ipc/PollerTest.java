package dev.pyloom.ipc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.ipc.internal.Poller;
import dev.pyloom.ipc.programs.WaitsThenNamesBlockedThreads;
import dev.pyloom.testing.ChildJvm;
import dev.pyloom.testing.Spawned;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Waits on both of the {@code Poller}'s paths at once (a pooled selector each for the first 256
 * waiters, the shared selector beyond): messages, closes and interrupts racing the borrowing and
 * the giving back of selectors, writers and readers beyond the pool, descriptors running out.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PollerTest {

    static final int POOL = Poller.POOLED_SELECTORS;

    // ------------------------------------------------------------------ helpers

    static Pipe warmPipe() throws IOException {
        Pipe p = Pipe.open();
        p.conn1().send("warm");
        p.conn2().recv();
        return p;
    }

    static void closeAll(List<Pipe> pipes) {
        for (Pipe p : pipes) {
            try {
                p.conn1().close();
            } catch (IOException ignored) {
                // closing
            }
            try {
                p.conn2().close();
            } catch (IOException ignored) {
                // closing
            }
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

    static boolean onSharedPath(Thread t) {
        return stackHas(t, "Poller.park");
    }

    static Thread pollerThread() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("pyloom-ipc-poller")) {
                return t;
            }
        }
        return null;
    }

    /** Readers blocked on {@code n} fresh pipes: enough of them to take every pooled selector. */
    static List<Spawned<Object>> holdThePool(List<Pipe> pipes, int n) throws IOException {
        List<Spawned<Object>> holders = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Pipe p = warmPipe();
            pipes.add(p);
            holders.add(Spawned.call(() -> p.conn2().recv()));
        }
        for (Spawned<Object> h : holders) {
            h.awaitBlocked();
        }
        return holders;
    }

    static void releaseThePool(List<Pipe> pipes, List<Spawned<Object>> holders) throws Exception {
        for (int i = 0; i < holders.size(); i++) {
            pipes.get(i).conn1().send("go");
        }
        for (Spawned<Object> h : holders) {
            assertEquals("go", h.join());
        }
    }

    static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    // ------------------------------------------------------------------ (7) descriptors exhausted

    /**
     * When the process has no descriptor left, a thread that must wait cannot open a pooled
     * selector. It should park on the shared selector (which costs no descriptor) rather than
     * fail the read. Runs first, so that the pool has not yet opened all of its selectors.
     */
    /*
     * HotSpot waits up to 300 ms at exit for threads in native code: a JVM whose connections
     * have waited must not keep one there (the shared selector's thread starts only when the
     * pool of selectors overflows).
     */
    @Test
    @Order(0)
    void waitsLeaveNoThreadInASystemCallForTheExitToWaitFor() throws Exception {
        try (ChildJvm child = ChildJvm.start(WaitsThenNamesBlockedThreads.class)) {
            ChildJvm.Result result = child.await();
            assertEquals(0, result.exitCode(), result.stderr());
            assertEquals(List.of(), result.stdoutLines(), "threads blocked in a system call");
        }
    }

    @Test
    @Order(1)
    void aWaiterWhenDescriptorsRunOutFallsBackInsteadOfFailing() throws Exception {
        List<Pipe> pipes = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            pipes.add(warmPipe());
        }
        List<Pipe> held = new ArrayList<>();
        List<Spawned<Object>> holder = holdThePool(held, 1); // the JDK's own poller initialised first
        releaseThePool(held, holder);
        closeAll(held);
        List<Spawned<Object>> readers = new ArrayList<>();
        List<FileChannel> hogs = new ArrayList<>();
        List<Throwable> early = new ArrayList<>();
        try {
            try {
                for (;;) {
                    hogs.add(FileChannel.open(Path.of("/dev/null")));
                }
            } catch (IOException full) {
                // every descriptor taken
            }
            hogs.remove(hogs.size() - 1).close(); // one free: not enough for a selector (2)
            for (Pipe p : pipes) {
                Spawned<Object> r = Spawned.call(() -> p.conn2().recv());
                readers.add(r);
                Spawned.awaitUntil(() -> r.isDone() || r.thread().getState() == Thread.State.WAITING
                        || r.thread().getState() == Thread.State.TIMED_WAITING);
                if (r.isDone()) {
                    early.add(r.failure());
                }
            }
        } finally {
            for (FileChannel h : hogs) {
                h.close();
            }
        }
        try {
            if (!early.isEmpty()) {
                throw new AssertionError(early.size() + " of 40 blocking recv() calls failed at once when "
                        + "descriptors ran out (expected: wait on the shared selector)", early.get(0));
            }
            for (Pipe p : pipes) {
                p.conn1().send("x");
            }
            for (Spawned<Object> r : readers) {
                assertEquals("x", r.join());
            }
        } finally {
            closeAll(pipes);
        }
    }

    // ------------------------------------------------------------------ (1) both paths racing

    @Test
    @Order(2)
    void messagesClosesAndInterruptsRaceOnBothPathsAtOnce() throws Exception {
        List<Pipe> warm = new ArrayList<>();
        releaseThePool(warm, holdThePool(warm, POOL + 8)); // opens every pooled selector first
        closeAll(warm);
        long before = Descriptors.count();
        int n = 3 * POOL;
        List<Pipe> pipes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            pipes.add(warmPipe());
        }
        List<Spawned<List<Object>>> readers = new ArrayList<>();
        try {
            for (Pipe p : pipes) {
                readers.add(Spawned.call(() -> {
                    List<Object> got = new ArrayList<>();
                    for (;;) {
                        try {
                            got.add(p.conn2().recv());
                        } catch (InterruptedIOException e) {
                            Thread.interrupted();
                        } catch (EOFException e) {
                            got.add("EOF");
                            return got;
                        } catch (IOException e) {
                            got.add("CLOSED");
                            return got;
                        }
                    }
                }));
            }
            int shared = 0;
            for (Spawned<List<Object>> r : readers) {
                r.awaitBlocked();
            }
            for (Spawned<List<Object>> r : readers) {
                if (onSharedPath(r.thread())) {
                    shared++;
                }
            }
            assertTrue(shared > 0 && shared < n, "waiters on the shared path: " + shared + " of " + n);
            AtomicBoolean done = new AtomicBoolean();
            Thread hammer = Thread.ofPlatform().start(() -> {
                while (!done.get()) {
                    for (int i = 3; i < n; i += 4) {
                        readers.get(i).thread().interrupt();
                    }
                    Thread.onSpinWait();
                }
            });
            try {
                for (int i = 0; i < n; i++) {
                    Pipe p = pipes.get(i);
                    switch (i % 4) {
                        case 0 -> {
                            p.conn1().send("a");
                            p.conn1().send("b");
                            p.conn1().close();
                        }
                        case 1 -> p.conn2().close();
                        case 2 -> {
                            p.conn1().send("a");
                            p.conn1().close();
                        }
                        default -> {
                            p.conn1().send("a");
                            p.conn1().send("b");
                            p.conn1().send("c");
                        }
                    }
                }
                for (int i = 3; i < n; i += 4) {
                    pipes.get(i).conn1().close();
                }
                for (int i = 0; i < n; i++) {
                    List<Object> got = readers.get(i).join();
                    List<Object> expected = switch (i % 4) {
                        case 0 -> List.of("a", "b", "EOF");
                        case 1 -> List.of("CLOSED");
                        case 2 -> List.of("a", "EOF");
                        default -> List.of("a", "b", "c", "EOF");
                    };
                    assertEquals(expected, got, "reader " + i);
                }
            } finally {
                done.set(true);
                hammer.join();
            }
        } finally {
            closeAll(pipes);
        }
        Descriptors.awaitBackTo(before);
    }

    // ------------------------------------------------------------------ (2) close racing borrow / give-back

    @Test
    @Order(3)
    void closeRacingTheBorrowAndGiveBackOfASelector() throws Exception {
        long before = Descriptors.count();
        List<Pipe> bystanderPipes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            bystanderPipes.add(warmPipe());
        }
        AtomicBoolean done = new AtomicBoolean();
        int rounds = 1_000;
        List<Spawned<Integer>> bystanders = new ArrayList<>();
        for (Pipe p : bystanderPipes) { // ping-pong on selectors just given back, maybe with a stale wakeup
            Spawned<Integer> echo = Spawned.call(() -> {
                int k = 0;
                for (;;) {
                    Object m;
                    try {
                        m = p.conn2().recv();
                    } catch (EOFException e) {
                        return k;
                    }
                    assertEquals(k, m);
                    p.conn2().send(k);
                    k++;
                }
            });
            bystanders.add(echo);
            bystanders.add(Spawned.call(() -> {
                int k = 0;
                while (!done.get()) {
                    p.conn1().send(k);
                    while (!p.conn1().poll(Duration.ofMillis(1 + k % 3))) {
                        // timed polls: borrow and give back over and over
                    }
                    assertEquals(k, p.conn1().recv());
                    k++;
                }
                p.conn1().close();
                return k;
            }));
        }
        try {
            for (int i = 0; i < rounds; i++) {
                Pipe p = warmPipe();
                int kind = i % 3;
                Spawned<Object> waiter = Spawned.call(() -> {
                    if (kind == 0) {
                        return p.conn2().recv();
                    }
                    for (;;) {
                        if (p.conn2().poll(Duration.ofMillis(1 + kind))) {
                            return p.conn2().recv();
                        }
                    }
                });
                for (int spin = 0; spin < (i * 7) % 200; spin++) {
                    Thread.onSpinWait();
                }
                if (i % 5 == 4) {
                    p.conn1().close();
                    assertInstanceOf(EOFException.class, waiter.failure(), "round " + i);
                    p.conn2().close();
                } else {
                    p.conn2().close();
                    assertInstanceOf(IOException.class, waiter.failure(), "round " + i);
                    p.conn1().close();
                }
            }
        } finally {
            done.set(true);
        }
        for (Spawned<Integer> b : bystanders) {
            assertTrue(b.join() > 0);
        }
        closeAll(bystanderPipes);
        Descriptors.awaitBackTo(before);
    }

    // ------------------------------------------------------------------ (3) shared path, closed locally

    @Test
    @Order(4)
    void onTheSharedPathALocalCloseReachesThePeerAndFreesTheDescriptor() throws Exception {
        List<Pipe> pool = new ArrayList<>();
        List<Spawned<Object>> holders = holdThePool(pool, POOL + 4);
        List<Pipe> targets = new ArrayList<>();
        try {
            long before = Descriptors.count();
            for (int variant = 0; variant < 5; variant++) {
                for (int round = 0; round < 20; round++) {
                    Pipe p = warmPipe();
                    targets.add(p);
                    switch (variant) {
                        case 0 -> { // a reader on the shared path, its socket closed here
                            Spawned<Object> r = Spawned.call(() -> p.conn2().recv()).awaitBlocked();
                            assertTrue(onSharedPath(r.thread()), "reader not on the shared path");
                            p.conn2().close();
                            assertInstanceOf(IOException.class, r.failure());
                        }
                        case 1 -> { // a timed poll gave up on the shared path; nobody reads again
                            assertFalse(p.conn2().poll(Duration.ofMillis(5)));
                            p.conn2().close();
                        }
                        case 2 -> { // an interrupted reader on the shared path; nobody reads again
                            Spawned<Object> r = Spawned.call(() -> p.conn2().recv()).awaitBlocked();
                            r.thread().interrupt();
                            assertInstanceOf(InterruptedIOException.class, r.failure());
                            p.conn2().close();
                        }
                        case 3 -> { // a writer blocked on the shared path, closed here
                            Spawned<Void> w = Spawned.run(() -> p.conn2().sendBytes(new byte[8 << 20])).awaitBlocked();
                            assertTrue(onSharedPath(w.thread()), "writer not on the shared path");
                            p.conn2().close();
                            assertInstanceOf(IOException.class, w.failure());
                        }
                        default -> { // a reader that saw a message on the shared path, then a close
                            Spawned<Object> r = Spawned.call(() -> p.conn2().recv()).awaitBlocked();
                            p.conn1().send("m");
                            assertEquals("m", r.join());
                            p.conn2().close();
                        }
                    }
                    // the peer sees the end (for variant 3, maybe a frame cut short): it must not hang
                    Spawned<Object> peer = Spawned.call(() -> {
                        for (;;) {
                            p.conn1().recvBytes();
                        }
                    });
                    Throwable t = peer.failure();
                    assertInstanceOf(IOException.class, t, "variant " + variant + " round " + round);
                    p.conn1().close();
                }
            }
            Descriptors.awaitBackTo(before);
        } finally {
            closeAll(targets);
            releaseThePool(pool, holders);
            closeAll(pool);
        }
    }

    // ------------------------------------------------------------------ (4) writers and readers beyond the pool

    @Test
    @Order(5)
    void writersOnFullSocketsAndReadersBeyondThePool() throws Exception {
        long before = Descriptors.count();
        int n = POOL + 40;
        byte[] big = pattern(8 << 20, 5);
        List<Pipe> pipes = new ArrayList<>();
        List<Spawned<Void>> writers = new ArrayList<>();
        List<Spawned<Object>> readers = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                Pipe p = warmPipe();
                pipes.add(p);
                writers.add(Spawned.run(() -> p.conn1().sendBytes(big)));
                readers.add(Spawned.call(() -> p.conn1().recv()));
            }
            int shared = 0;
            for (int i = 0; i < n; i++) {
                writers.get(i).awaitBlocked();
                readers.get(i).awaitBlocked();
            }
            for (int i = 0; i < n; i++) {
                if (onSharedPath(writers.get(i).thread()) || onSharedPath(readers.get(i).thread())) {
                    shared++;
                }
            }
            assertTrue(shared > 0, "none on the shared path");
            for (int i = 0; i < n; i++) {
                Pipe p = pipes.get(i);
                if (i % 5 == 0) {
                    p.conn1().close();
                    assertInstanceOf(IOException.class, writers.get(i).failure());
                    assertInstanceOf(IOException.class, readers.get(i).failure());
                    Spawned<byte[]> rest = Spawned.call(() -> p.conn2().recvBytes());
                    assertInstanceOf(IOException.class, rest.failure(), "pipe " + i);
                } else {
                    p.conn2().send("reply" + i);
                    assertEquals("reply" + i, readers.get(i).join());
                    byte[] got = p.conn2().recvBytes();
                    assertEquals(big.length, got.length);
                    assertEquals(big[got.length - 1], got[got.length - 1]);
                    assertEquals(big[12345], got[12345]);
                    writers.get(i).join();
                }
            }
        } finally {
            closeAll(pipes);
        }
        Descriptors.awaitBackTo(before);
    }

    // ------------------------------------------------------------------ (5) timed polls; the poller idles

    @Test
    @Order(6)
    void timedPollsOverManyConnectionsAreRightAndLeakNothing() throws Exception {
        long before = Descriptors.count();
        int n = POOL + 60;
        List<Pipe> pipes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            pipes.add(warmPipe());
        }
        List<Spawned<Void>> pollers = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                Pipe p = pipes.get(i);
                int seed = i;
                pollers.add(Spawned.run(() -> {
                    for (int r = 0; r < 30; r++) {
                        Duration d = Duration.ofMillis(1 + (seed + r * 7) % 50);
                        if (r % 6 == 0) {
                            p.conn1().send(r);
                            assertTrue(p.conn2().poll(d), "sent before the poll");
                            assertEquals(r, p.conn2().recv());
                        } else {
                            assertFalse(p.conn2().poll(d), "nothing sent");
                        }
                    }
                }));
            }
            Spawned.joinAll(pollers);
            Thread poller = pollerThread();
            assertNotNull(poller, "the shared poller never started: no waiter went beyond the pool");
            // leave the shared selector with stale interests: unread data, peers gone, idle sockets
            for (int i = 0; i < n; i++) {
                Pipe p = pipes.get(i);
                if (i % 3 == 0) {
                    p.conn1().send("unread");
                } else if (i % 3 == 1) {
                    p.conn1().close();
                }
            }
        } finally {
            closeAll(pipes);
        }
        Descriptors.awaitBackTo(before);
    }

    // ------------------------------------------------------------------ (6) platform thread interrupted in a pooled select

    @Test
    @Order(7)
    void aPlatformThreadInterruptedInAPooledSelectLeavesTheSelectorWellForItsNextBorrower() throws Exception {
        long before = Descriptors.count();
        for (int i = 0; i < 200; i++) {
            Pipe a = warmPipe();
            Pipe b = warmPipe();
            try {
                CompletableFuture<Throwable> outcome = new CompletableFuture<>();
                Thread t = Thread.ofPlatform().start(() -> {
                    try {
                        a.conn2().recv();
                        outcome.complete(null);
                    } catch (Throwable e) {
                        outcome.complete(e);
                    }
                });
                Spawned.awaitUntil(() -> t.getState() == Thread.State.RUNNABLE && stackHas(t, "EPoll"));
                t.interrupt();
                assertInstanceOf(InterruptedIOException.class, outcome.get());
                t.join();
                // the selector just given back (the pool's first) goes to the next waiter
                assertFalse(b.conn2().poll(Duration.ofMillis(2)), "round " + i);
                Spawned<Object> r = Spawned.call(() -> b.conn2().recv()).awaitBlocked();
                b.conn1().send("b" + i);
                assertEquals("b" + i, r.join());
                a.conn1().send("a" + i);
                assertEquals("a" + i, a.conn2().recv());
            } finally {
                closeAll(List.of(a, b));
            }
        }
        Descriptors.awaitBackTo(before);
    }

    /** A platform reader interrupted at every point while messages flow; virtual threads borrow the same selectors. */
    @Test
    @Order(8)
    void aPlatformReaderHammeredWithInterruptsLosesNothingAndHarmsNoOtherBorrower() throws Exception {
        long before = Descriptors.count();
        Pipe a = warmPipe();
        List<Pipe> others = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            others.add(warmPipe());
        }
        int n = 5_000;
        AtomicBoolean done = new AtomicBoolean();
        try {
            CompletableFuture<Integer> interrupts = new CompletableFuture<>();
            Thread reader = Thread.ofPlatform().start(() -> {
                int k = 0;
                int seen = 0;
                try {
                    while (seen < n) {
                        try {
                            Object m = a.conn2().recv();
                            assertEquals(seen, m);
                            seen++;
                        } catch (InterruptedIOException e) {
                            Thread.interrupted();
                            k++;
                        }
                    }
                    interrupts.complete(k);
                } catch (Throwable e) {
                    interrupts.completeExceptionally(e);
                } finally {
                    done.set(true);
                    Thread.interrupted();
                }
            });
            Thread hammer = Thread.ofPlatform().start(() -> {
                while (!done.get()) {
                    reader.interrupt();
                    Thread.onSpinWait();
                }
            });
            Spawned<Void> sender = Spawned.run(() -> {
                for (int i = 0; i < n; i++) {
                    a.conn1().send(i);
                }
            });
            List<Spawned<Void>> pingers = new ArrayList<>();
            for (Pipe p : others) {
                pingers.add(Spawned.run(() -> {
                    Spawned<Void> echo = Spawned.run(() -> {
                        try {
                            for (;;) {
                                p.conn2().send(p.conn2().recv());
                            }
                        } catch (EOFException end) {
                            // done
                        }
                    });
                    int k = 0;
                    while (!done.get()) {
                        p.conn1().send(k);
                        assertEquals(k, p.conn1().recv());
                        k++;
                    }
                    p.conn1().close();
                    echo.join();
                }));
            }
            interrupts.get(Spawned.PATIENCE.toSeconds(), TimeUnit.SECONDS);
            hammer.join();
            reader.join();
            sender.join();
            Spawned.joinAll(pingers);
        } finally {
            done.set(true);
            closeAll(List.of(a));
            closeAll(others);
        }
        Descriptors.awaitBackTo(before);
    }
}

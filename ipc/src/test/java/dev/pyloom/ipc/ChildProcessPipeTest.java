package dev.pyloom.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.ipc.programs.Courier;
import dev.pyloom.ipc.programs.Echo;
import dev.pyloom.ipc.programs.SaysHiAndLeaves;
import dev.pyloom.ipc.programs.SendsFirst;
import dev.pyloom.testing.ChildJvm;
import dev.pyloom.testing.Spawned;
import java.io.EOFException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pipe ends crossing into real child JVMs, on the command line and inside messages. */
class ChildProcessPipeTest {

    @Test
    void aPipeEndOnTheCommandLineReconnectsInTheChild() throws Exception {
        Pipe pipe = Pipe.open();
        try (ChildJvm child = ChildJvm.start(Echo.class, pipe.conn2().toHandle()); Connection conn = pipe.conn1()) {
            for (int i = 0; i < 1_000; i++) {
                Map<String, Object> message = Map.of("n", i, "text", "message " + i);
                conn.send(message);
                assertEquals(message, conn.recv());
            }
            conn.send("stop");
            assertThrows(EOFException.class, conn::recv, "the child closed its end on the way out");
            ChildJvm.Result result = child.await();
            assertEquals(0, result.exitCode(), result.stderr());
        }
    }

    @Test
    void messagesSentBeforeTheChildAttachedAreDelivered() throws Exception {
        Pipe pipe = Pipe.open();
        String handle = pipe.conn2().toHandle();
        try (Connection conn = pipe.conn1()) {
            conn.send("queued before the child existed");
            try (ChildJvm child = ChildJvm.start(Echo.class, handle)) {
                assertEquals("queued before the child existed", conn.recv());
                conn.send("stop");
                assertEquals(0, child.await().exitCode());
            }
        }
    }

    /**
     * A pipe end whose partner went to a child before either was used buffers what is sent to
     * it until the child attaches (up to 1 MiB, then sending waits). The child here writes 8 MiB
     * before it reads anything: the parent must be able to read them while its buffered messages
     * are still being written to the child, or each side would wait for the other forever.
     */
    @Test
    void whatWasBufferedForALateChildNeverBlocksReadingWhatTheChildSends() throws Exception {
        Pipe pipe = Pipe.open();
        String handle = pipe.conn2().toHandle();
        int chunk = 64 << 10;
        int chunks = 32; // 2 MiB: more than the buffer, and more than the sockets hold
        try (Connection conn = pipe.conn1()) {
            Spawned<Void> sender = Spawned.run(() -> {
                for (int i = 0; i < chunks; i++) {
                    conn.sendBytes(new byte[chunk]);
                }
            });
            try (ChildJvm child = ChildJvm.start(SendsFirst.class, handle, Integer.toString(8 << 20),
                    Long.toString((long) chunk * chunks))) {
                assertTrue(conn.poll(Duration.ofSeconds(60)), "the child's 8 MiB could not be read: deadlocked");
                assertEquals(8 << 20, conn.recvBytes().length);
                sender.join();
                assertEquals("got " + (long) chunk * chunks, conn.recv());
                assertEquals(0, child.await().exitCode());
            }
        }
    }

    /** Sending to a partner that left fails; what the partner said before it left is still read, then its end. */
    @Test
    void aPartnerThatLeavesWithoutReadingIsStillHeard() throws Exception {
        Pipe pipe = Pipe.open();
        String handle = pipe.conn2().toHandle();
        try (Connection conn = pipe.conn1()) {
            conn.sendBytes(new byte[500_000]); // buffered for the child, which never reads it
            try (ChildJvm child = ChildJvm.start(SaysHiAndLeaves.class, handle)) {
                assertEquals(0, child.await().exitCode());
                assertTrue(conn.poll(Duration.ofSeconds(60)));
                assertEquals("hi", conn.recv());
                assertThrows(EOFException.class, conn::recv, "then the end of its stream");
            }
        }
    }

    @Test
    void connectionsInsideMessagesReachTheChild() throws Exception {
        Pipe control = Pipe.open();
        try (ChildJvm child = ChildJvm.start(Courier.class, control.conn2().toHandle()); Connection conn = control.conn1()) {
            for (int job = 0; job < 3; job++) {
                Pipe results = Pipe.open(false);
                conn.send("job");
                conn.send(new Courier.Job(100, results.conn2()));
                try (Connection reader = results.conn1()) {
                    for (int i = 0; i < 100; i++) {
                        assertEquals(i, reader.recv(Integer.class));
                    }
                    assertThrows(EOFException.class, reader::recv);
                }
                assertEquals("done", conn.recv());
            }
            conn.send("stop");
            ChildJvm.Result result = child.await();
            assertEquals(0, result.exitCode(), result.stderr());
        }
    }

    @Test
    void aChildThatDiesGivesTheParentEndOfStream() throws Exception {
        Pipe pipe = Pipe.open();
        try (ChildJvm child = ChildJvm.start(Echo.class, pipe.conn2().toHandle()); Connection conn = pipe.conn1()) {
            conn.send(List.of("are you there?"));
            assertEquals(List.of("are you there?"), conn.recv());
            child.process().destroyForcibly();
            child.process().waitFor();
            assertThrows(EOFException.class, conn::recv);
        }
    }
}

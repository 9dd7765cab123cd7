package dev.pyloom.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pyloom.ipc.internal.Control;
import dev.pyloom.ipc.internal.Frame;
import dev.pyloom.ipc.internal.FrameChannel;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** A consumer that breaks the loan protocol loses its own connection, and nothing else. */
class QueueProtocolViolationTest {

    static FrameChannel attach(Queue<?> q) throws IOException {
        JsonNode handle = new ObjectMapper().readTree(q.toHandle());
        return Exporter.attach(handle, "queue");
    }

    static void assertClosedByOwner(FrameChannel evil) {
        assertThrows(IOException.class, () -> {
            for (int i = 0; i < 1000; i++) {
                Frame f = evil.readOwned();
                if (f == null) {
                    break;
                }
            }
        });
    }

    /** Borrows k items, acknowledges {@code tooks}, then sends {@code then}. */
    static int borrow(FrameChannel evil) throws IOException {
        Control.send(evil, Control.op("get").put("timeout", 1_000_000_000L));
        JsonNode reply = Control.receive(evil);
        assertEquals("items", Control.opOf(reply), reply.toString());
        int k = reply.path("count").asInt();
        for (int i = 0; i < k; i++) {
            evil.readOwned();
        }
        return k;
    }

    @Test
    void tookWithoutALoanClosesOnlyThatConnection() throws Exception {
        Queue<Integer> owner = Queue.of(Integer.class);
        for (int i = 0; i < 100; i++) {
            owner.put(i);
        }
        try (Queue<Integer> good = Queue.fromHandle(owner.toHandle(), Integer.class);
                FrameChannel evil = attach(owner)) {
            assertEquals(0, good.get());
            Control.send(evil, Control.op("took"));
            assertClosedByOwner(evil);
            for (int i = 1; i < 100; i++) {
                assertEquals(i, good.get(Duration.ofSeconds(10)));
            }
        }
    }

    @Test
    void aWrongGivenBackCountClosesTheBorrowerAndItsLoanComesBack() throws Exception {
        Queue<Integer> owner = Queue.of(Integer.class);
        for (int i = 0; i < 100; i++) {
            owner.put(i);
        }
        try (FrameChannel evil = attach(owner)) {
            int k = borrow(evil);
            assertEquals(100, k);
            Control.send(evil, Control.op("took"));
            Control.send(evil, Control.op("took"));
            Control.send(evil, Control.op("given_back").put("count", k + 3).put("answer", true));
            assertClosedByOwner(evil);
        }
        for (int i = 2; i < 100; i++) {
            assertEquals(i, owner.get(Duration.ofSeconds(10)));
        }
        assertThrows(QueueEmptyException.class, owner::getNowait);
    }

    @Test
    void moreTooksThanLentClosesTheBorrowerAndNothingElseIsLost() throws Exception {
        Queue<Integer> owner = Queue.of(Integer.class);
        for (int i = 0; i < 10; i++) {
            owner.put(i);
        }
        try (FrameChannel evil = attach(owner)) {
            int k = borrow(evil);
            for (int i = 0; i <= k; i++) {
                Control.send(evil, Control.op("took"));
            }
            assertClosedByOwner(evil);
        }
        owner.put(10);
        assertEquals(10, owner.get(Duration.ofSeconds(10)));
        assertThrows(QueueEmptyException.class, owner::getNowait);
    }

    @Test
    void givenBackCountNotANumber() throws Exception {
        Queue<Integer> owner = Queue.of(Integer.class);
        for (int i = 0; i < 10; i++) {
            owner.put(i);
        }
        try (FrameChannel evil = attach(owner)) {
            borrow(evil);
            Control.send(evil, Control.op("given_back").put("count", "ten").put("answer", true));
            assertClosedByOwner(evil);
        }
        for (int i = 0; i < 10; i++) {
            assertEquals(i, owner.get(Duration.ofSeconds(10)));
        }
    }
}

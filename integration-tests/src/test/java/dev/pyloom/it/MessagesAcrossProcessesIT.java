package dev.pyloom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pyloom.ipc.Connection;
import dev.pyloom.ipc.Pipe;
import dev.pyloom.ipc.Queue;
import dev.pyloom.it.programs.Msg;
import dev.pyloom.it.programs.QueueProducer;
import dev.pyloom.it.programs.QueueToPipe;
import dev.pyloom.testing.ChildJvm;
import dev.pyloom.testing.Spawned;
import java.io.EOFException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A parent and two child JVMs pass 100,000 messages through a Queue and then a Pipe:
 *
 * <pre>
 *   parent (producer "P", 50,000) --\
 *                                    +--&gt; Queue (owned by the parent) --&gt; child B --&gt; Pipe --&gt; parent
 *   child A (producer "A", 50,000) -/
 * </pre>
 *
 * Child B checks each producer's order as the messages leave the queue; the parent checks, at the
 * end of the pipe, that every one of the 100,000 arrived exactly once and in per-producer order.
 */
class MessagesAcrossProcessesIT {

    private static final int EACH = 50_000;

    @Test
    void oneHundredThousandMessagesArriveOnceEachInPerProducerOrder() throws Exception {
        Queue<Msg> queue = Queue.of(Msg.class);
        Pipe pipe = Pipe.open(false);
        try (ChildJvm producerA = ChildJvm.start(QueueProducer.class, queue.toHandle(), "A", String.valueOf(EACH));
                ChildJvm relayB = ChildJvm.start(QueueToPipe.class, queue.toHandle(), pipe.conn2().toHandle(),
                        String.valueOf(2 * EACH));
                Connection fromB = pipe.conn1()) {
            Spawned<Void> producerP = Spawned.run(() -> {
                for (int i = 0; i < EACH; i++) {
                    queue.put(new Msg("P", i));
                }
            });
            Map<String, Integer> next = new HashMap<>();
            Set<Msg> seen = new HashSet<>();
            for (int i = 0; i < 2 * EACH; i++) {
                Msg msg = fromB.recv(Msg.class);
                assertEquals(next.getOrDefault(msg.producer(), 0), msg.seq(), "per-producer order at " + msg);
                next.put(msg.producer(), msg.seq() + 1);
                seen.add(msg);
            }
            producerP.join();
            assertEquals(Map.of("A", EACH, "P", EACH), next);
            assertEquals(2 * EACH, seen.size(), "each message exactly once");
            assertThrows(EOFException.class, fromB::recv, "and nothing after them");
            ChildJvm.Result a = producerA.await();
            ChildJvm.Result b = relayB.await();
            assertEquals(0, a.exitCode(), a.stderr());
            assertEquals(0, b.exitCode(), b.stderr());
        }
    }
}

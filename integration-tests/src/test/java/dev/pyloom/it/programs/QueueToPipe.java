package dev.pyloom.it.programs;

import dev.pyloom.ipc.Connection;
import dev.pyloom.ipc.Queue;
import java.util.HashMap;
import java.util.Map;

/**
 * Takes {@code count} messages from a queue and forwards each down a pipe, checking on the way
 * that every producer's messages come in order; exits with status 3 if one does not.
 */
public final class QueueToPipe {

    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[2]);
        Map<String, Integer> next = new HashMap<>();
        try (Queue<Msg> queue = Queue.fromHandle(args[0], Msg.class); Connection pipe = Connection.fromHandle(args[1])) {
            for (int i = 0; i < count; i++) {
                Msg msg = queue.get();
                int expected = next.getOrDefault(msg.producer(), 0);
                if (msg.seq() != expected) {
                    System.err.println("out of order: " + msg + ", expected seq " + expected);
                    System.exit(3);
                }
                next.put(msg.producer(), expected + 1);
                pipe.send(msg);
            }
        }
    }
}

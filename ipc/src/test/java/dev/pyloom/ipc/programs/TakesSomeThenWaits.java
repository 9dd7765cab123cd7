package dev.pyloom.ipc.programs;

import dev.pyloom.ipc.Queue;

/**
 * Takes {@code count} items from a queue, passes each on to a second queue, then waits, busy
 * with nothing, until its standard input ends: a consumer holding whatever the owner lent it.
 */
public final class TakesSomeThenWaits {

    public static void main(String[] args) throws Exception {
        try (Queue<Integer> from = Queue.fromHandle(args[0], Integer.class);
                Queue<Integer> to = Queue.fromHandle(args[1], Integer.class)) {
            int count = Integer.parseInt(args[2]);
            for (int i = 0; i < count; i++) {
                to.put(from.get());
            }
            to.close(); // its puts are delivered
            while (System.in.read() >= 0) {
                // waiting for the end of standard input
            }
        }
    }
}

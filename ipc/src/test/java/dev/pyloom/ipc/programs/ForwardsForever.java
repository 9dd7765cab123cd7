package dev.pyloom.ipc.programs;

import dev.pyloom.ipc.Queue;

/** Gets items from one queue and puts each on a second (bounded, so each put is acknowledged) forever. */
public final class ForwardsForever {

    public static void main(String[] args) throws Exception {
        try (Queue<Integer> from = Queue.fromHandle(args[0], Integer.class);
                Queue<Integer> to = Queue.fromHandle(args[1], Integer.class)) {
            for (;;) {
                to.put(from.get());
            }
        }
    }
}

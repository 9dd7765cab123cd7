package dev.pyloom.it.programs;

import dev.pyloom.ipc.Queue;

/** Puts {@code count} messages from {@code name} on the queue whose handle it is given, then exits. */
public final class QueueProducer {

    public static void main(String[] args) throws Exception {
        String name = args[1];
        int count = Integer.parseInt(args[2]);
        try (Queue<Msg> queue = Queue.fromHandle(args[0], Msg.class)) {
            for (int i = 0; i < count; i++) {
                queue.put(new Msg(name, i));
            }
        }
    }
}

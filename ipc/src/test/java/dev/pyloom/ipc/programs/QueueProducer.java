package dev.pyloom.ipc.programs;

import dev.pyloom.ipc.Queue;

/** A child process that puts {@code count} numbered items from producer {@code id} on a queue, then exits. */
public final class QueueProducer {

    public record Item(int producer, int seq) {}

    public static void main(String[] args) throws Exception {
        int id = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[2]);
        try (Queue<Item> queue = Queue.fromHandle(args[0], Item.class)) {
            for (int i = 0; i < count; i++) {
                queue.put(new Item(id, i));
            }
        }
    }
}

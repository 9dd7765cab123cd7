package dev.pyloom.it.programs;

import dev.pyloom.ipc.Queue;
import java.io.IOException;

/** The tasks and processes of the load runs. */
public final class Load {

    private Load() {}

    /** A trivial pool task. */
    public static int inc(int i) {
        return i + 1;
    }

    /** A process's target: puts 0 to {@code count - 1} on {@code queue}, in order. */
    public static void produce(Queue<Integer> queue, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            queue.put(i);
        }
    }
}

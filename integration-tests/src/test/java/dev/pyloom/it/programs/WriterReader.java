package dev.pyloom.it.programs;

import dev.pyloom.ipc.Queue;
import java.io.IOException;
import java.util.List;

/**
 * The tutorial's two processes around a {@code Queue}: one writes A, B and C, the other reads
 * for ever (until its parent terminates it). The reader also hands each value on to
 * {@code seen}, so that its parent can check what arrived.
 */
public final class WriterReader {

    public static final List<String> VALUES = List.of("A", "B", "C");

    private WriterReader() {}

    public static void write(Queue<String> q) throws IOException {
        System.out.printf("Process to write: %s%n", ProcessHandle.current().pid());
        for (String value : VALUES) {
            System.out.printf("Put %s to queue...%n", value);
            q.put(value);
        }
    }

    public static void read(Queue<String> q, Queue<String> seen) throws IOException {
        System.out.printf("Process to read: %s%n", ProcessHandle.current().pid());
        for (;;) {
            String value = q.get();
            System.out.printf("Get %s from queue.%n", value);
            seen.put(value);
        }
    }
}

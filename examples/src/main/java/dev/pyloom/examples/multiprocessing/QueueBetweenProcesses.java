package dev.pyloom.examples.multiprocessing;

import dev.pyloom.ipc.JoinableQueue;
import dev.pyloom.multiprocessing.PyProcess;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The tutorial's Process + Queue program: a writer process puts A, B, C on a queue, a reader
 * process takes them off; the parent waits for the writer and then terminates the reader, which
 * would otherwise wait for more forever.
 *
 * <pre>
 * Process to write: 50563
 * Put A to queue...
 * Process to read: 50564
 * Get A from queue.
 * Put B to queue...
 * Get B from queue.
 * Put C to queue...
 * Get C from queue.
 * </pre>
 *
 * <p>The queue is created here and handed to both children as an argument: it arrives in each
 * as a live queue connected back to this process, which keeps its items. One change from
 * Python's program: terminating the reader as soon as the writer is done can cut it off before
 * it has printed the last item, so the queue is a {@code JoinableQueue}, the reader marks each
 * item done, and the parent waits for that ({@code q.join()}) before terminating it.
 */
public final class QueueBetweenProcesses {

    private QueueBetweenProcesses() {}

    static void write(JoinableQueue<String> q) throws IOException, InterruptedException {
        System.out.printf("Process to write: %s%n", ProcessHandle.current().pid());
        for (String value : List.of("A", "B", "C")) {
            System.out.printf("Put %s to queue...%n", value);
            q.put(value);
            Thread.sleep((long) (ThreadLocalRandom.current().nextDouble() * 1000));
        }
    }

    static void read(JoinableQueue<String> q) throws IOException {
        System.out.printf("Process to read: %s%n", ProcessHandle.current().pid());
        for (;;) {
            String value = q.get();
            System.out.printf("Get %s from queue.%n", value);
            q.taskDone();
        }
    }

    public static void main(String[] args) throws Exception {
        try (JoinableQueue<String> q = JoinableQueue.of(String.class)) {
            PyProcess pw = new PyProcess(QueueBetweenProcesses::write, q);
            PyProcess pr = new PyProcess(QueueBetweenProcesses::read, q);
            pw.start();
            pr.start();
            pw.join();
            q.join();
            pr.terminate();
            pr.join();
        }
    }
}

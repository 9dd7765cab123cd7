package dev.pyloom.ipc.programs;

import dev.pyloom.ipc.Connection;
import dev.pyloom.ipc.Queue;

/** Receives a {@code Job} holding a queue, and puts {@code count} numbers on that queue. */
public final class QueueCourier {

    public record Job(int count, Queue<Integer> results) {}

    public static void main(String[] args) throws Exception {
        try (Connection control = Connection.fromHandle(args[0])) {
            Job job = control.recv(Job.class);
            try (Queue<Integer> results = job.results()) {
                for (int i = 0; i < job.count(); i++) {
                    results.put(i);
                }
            }
        }
    }
}

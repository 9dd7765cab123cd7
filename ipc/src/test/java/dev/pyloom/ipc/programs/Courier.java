package dev.pyloom.ipc.programs;

import dev.pyloom.ipc.Connection;

/**
 * A child process that receives connections inside messages: for each {@code Job} on its
 * control connection it sends {@code count} numbers down the job's own connection, then
 * closes it. "stop" ends it.
 */
public final class Courier {

    public record Job(int count, Connection results) {}

    public static void main(String[] args) throws Exception {
        try (Connection control = Connection.fromHandle(args[0])) {
            for (;;) {
                Object first = control.recv();
                if ("stop".equals(first)) {
                    return;
                }
                Job job = control.recv(Job.class);
                try (Connection results = job.results()) {
                    for (int i = 0; i < job.count(); i++) {
                        results.send(i);
                    }
                }
                control.send("done");
            }
        }
    }
}

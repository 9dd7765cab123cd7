package dev.pyloom.it.programs;

import dev.pyloom.ipc.Connection;
import dev.pyloom.ipc.JoinableQueue;
import dev.pyloom.ipc.Queue;
import dev.pyloom.multiprocessing.PyProcess;
import java.io.IOException;

/**
 * A consumer of a {@code JoinableQueue} in a child process, working for ever (its parent ends
 * it). For each job it says on {@code log} that it has finished the item, and only then calls
 * {@code taskDone()}; a job marked {@code hold} waits for a token on {@code gate} first (and says
 * so), so that its parent decides when the last items may be done.
 */
public final class JoinableWorker {

    /** One item of work: {@code hold} makes the worker wait on its gate before finishing it. */
    public record Job(int item, boolean hold) {}

    private JoinableWorker() {}

    public static void work(JoinableQueue<Job> jobs, Queue<Integer> gate, Connection log) throws IOException {
        String me = PyProcess.current().name();
        try (log) {
            for (;;) {
                Job job = jobs.get();
                if (job.hold()) {
                    log.send(new Progress(me, Progress.HOLDING, job.item()));
                    gate.get();
                }
                // Sent before taskDone(): by the time the parent's join() returns, it is in the pipe.
                log.send(new Progress(me, Progress.FINISHED, job.item()));
                jobs.taskDone();
            }
        }
    }
}

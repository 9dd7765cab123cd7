package dev.pyloom.ipc.programs;

import dev.pyloom.ipc.JoinableQueue;
import dev.pyloom.ipc.Queue;

/**
 * A child worker: takes numbers from a joinable jobs queue, puts twice each on a results queue,
 * marks each job done; a negative number ends it.
 */
public final class QueueDoubler {

    public static void main(String[] args) throws Exception {
        try (JoinableQueue<Integer> jobs = JoinableQueue.fromHandle(args[0], Integer.class);
                Queue<Integer> results = Queue.fromHandle(args[1], Integer.class)) {
            for (;;) {
                int job = jobs.get();
                if (job < 0) {
                    jobs.taskDone();
                    return;
                }
                results.put(2 * job);
                jobs.taskDone();
            }
        }
    }
}

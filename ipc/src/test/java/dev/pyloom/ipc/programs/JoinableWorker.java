package dev.pyloom.ipc.programs;

import dev.pyloom.ipc.JoinableQueue;
import dev.pyloom.ipc.Queue;

/** Gets jobs until -1: puts {worker, job} on results, then taskDone, from args[2] threads. */
public final class JoinableWorker {

    public static void main(String[] args) throws Exception {
        try (JoinableQueue<Integer> jobs = JoinableQueue.fromHandle(args[0], Integer.class);
                Queue<int[]> results = Queue.fromHandle(args[1], int[].class)) {
            int threads = Integer.parseInt(args[2]);
            int me = Integer.parseInt(args[3]);
            Thread[] all = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                all[t] = Thread.ofPlatform().start(() -> {
                    try {
                        for (;;) {
                            int job = jobs.get();
                            if (job < 0) {
                                jobs.taskDone();
                                return;
                            }
                            results.put(new int[] {me, job});
                            jobs.taskDone();
                        }
                    } catch (Exception e) {
                        e.printStackTrace();
                        System.exit(3);
                    }
                });
            }
            for (Thread t : all) {
                t.join();
            }
        }
    }
}

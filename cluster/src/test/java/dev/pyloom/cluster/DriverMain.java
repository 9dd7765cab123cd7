package dev.pyloom.cluster;

import dev.pyloom.multiprocessing.Pool;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A driver in a JVM of its own, for the tests that kill it: connects to the cluster named in
 * {@code args[0]} at {@code args[1]} with the key in the file {@code args[2]}, runs
 * {@code args[4]} tasks that each note their run in the directory {@code args[3]} and sleep a
 * minute, and waits for them. With {@code args[3]} "forget", it runs one task and returns from
 * {@code main} without closing its pool.
 */
public final class DriverMain {

    private DriverMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 4 && args[3].equals("forget")) { // a program that never closes its pool
            Pool pool = ClusterPool.builder().cluster(args[0]).members(args[1])
                    .authKey(Files.readAllBytes(Path.of(args[2]))).build();
            System.out.println(pool.apply(ClusterTasks::square, 7));
            return;
        }
        try (Pool pool = ClusterPool.builder().cluster(args[0]).members(args[1]).authKey(Files.readAllBytes(Path.of(args[2])))
                .build()) {
            int tasks = Integer.parseInt(args[4]);
            for (int i = 0; i < tasks; i++) {
                pool.applyAsync(ClusterTasks::recordPidThenSleep, args[3], i, 60_000);
            }
            System.out.println("submitted");
            System.out.flush();
            pool.shutdown();
            pool.join();
        }
    }
}

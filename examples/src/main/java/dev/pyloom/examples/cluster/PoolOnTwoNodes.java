package dev.pyloom.examples.cluster;

import dev.pyloom.cluster.ClusterPool;
import dev.pyloom.cluster.Node;
import dev.pyloom.multiprocessing.Pool;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The tutorial's Pool program on a cluster: the same five tasks, the same output, with the line
 * that makes the pool changed, from {@code new Pool(4)} to a {@link ClusterPool} over two nodes
 * of two workers each. The fifth task still waits for a free worker, now on either node.
 *
 * <pre>
 * Parent process 669.
 * Waiting for all subprocesses done...
 * Run task 0 (701)...
 * Run task 1 (702)...
 * Run task 2 (703)...
 * Run task 3 (704)...
 * Task 2 runs 0.14 seconds.
 * Run task 4 (703)...
 * ...
 * All subprocesses done.
 * </pre>
 *
 * <p>Compare {@link dev.pyloom.examples.multiprocessing.PoolOfFour}: {@code longTimeTask} and the
 * lines after the pool is made are the same. What is new is the cluster, made first, here.
 *
 * <p><b>Why the nodes run in this JVM.</b> In a deployment each machine runs one node, from the
 * command line, with the application's class path and the cluster's key in a file:
 *
 * <pre>
 * java -cp app.jar:libs/* dev.pyloom.cluster.Node --cluster demo --host 10.0.0.5 --port 5701 \
 *      --members 10.0.0.5:5701 --workers 2 --key-file cluster.key
 * </pre>
 *
 * <p>To show that on one machine, the program would start two such JVMs, wait for their "is
 * running" line, pass them the key in a file and kill them at the end: a page about process
 * management before the first task. {@link Node#builder()} starts the same node inside this
 * program instead, and try-with-resources closes it, which changes nothing about where the tasks
 * run: a node never runs a task itself, its worker JVMs do (their pids are the ones printed),
 * exactly as on a machine of its own. A node here is a Hazelcast member listening on
 * 127.0.0.1, on a free port, and the key is made afresh, so no other program can join or send
 * it work.
 */
public final class PoolOnTwoNodes {

    private PoolOnTwoNodes() {}

    // Hazelcast logs every connection and membership change at INFO, and a node every driver it
    // serves: warnings only, on this console. (Held in fields: java.util.logging forgets the
    // level of a logger no one holds.)
    private static final Logger HAZELCAST = warningsOnly("com.hazelcast");
    private static final Logger NODES = warningsOnly("dev.pyloom.cluster");

    static void longTimeTask(int name) throws InterruptedException {
        System.out.printf("Run task %s (%s)...%n", name, ProcessHandle.current().pid());
        long start = System.nanoTime();
        Thread.sleep((long) (ThreadLocalRandom.current().nextDouble() * 3000));
        long end = System.nanoTime();
        System.out.printf("Task %s runs %.2f seconds.%n", name, (end - start) / 1e9);
    }

    public static void main(String[] args) throws Exception {
        // the cluster: two nodes of two workers, on this machine, with a key of their own
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        try (Node first = Node.builder().cluster("tutorial").port(freePort()).workers(2).authKey(key).build();
                Node second = Node.builder().cluster("tutorial").port(freePort()).members(first.address())
                        .workers(2).authKey(key).build()) {

            // the tutorial's program, with Pool(4) replaced by the cluster's four workers
            System.out.printf("Parent process %s.%n", ProcessHandle.current().pid());
            Pool p = ClusterPool.builder().cluster("tutorial").members(first.address()).authKey(key)
                    .awaitNodes(2, Duration.ofSeconds(30)).build();
            for (int i = 0; i < 5; i++) {
                p.applyAsync(PoolOnTwoNodes::longTimeTask, i);
            }
            System.out.println("Waiting for all subprocesses done...");
            p.shutdown();
            p.join();
            System.out.println("All subprocesses done.");
        }
    }

    private static Logger warningsOnly(String name) {
        Logger logger = Logger.getLogger(name);
        logger.setLevel(Level.WARNING);
        return logger;
    }

    /** A port no one listens on now, on 127.0.0.1. */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}

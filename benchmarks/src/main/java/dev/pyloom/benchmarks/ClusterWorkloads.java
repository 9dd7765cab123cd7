package dev.pyloom.benchmarks;

import dev.pyloom.cluster.Node;
import dev.pyloom.cluster.NodeLostException;
import dev.pyloom.multiprocessing.AsyncResult;
import dev.pyloom.multiprocessing.Pool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.IntStream;

/**
 * The pyloom side of the cluster suite, and its baseline too: a {@link dev.pyloom.cluster.ClusterPool}
 * on nodes of this machine beside a local {@link Pool} of as many workers, in one JVM, back to
 * back. Every node runs in a JVM of its own, as a deployment runs one, unless a figure says
 * otherwise; the driver (this JVM) is a Hazelcast client.
 *
 * <p>{@code java ... ClusterWorkloads WORKLOAD [--quick]} runs one and prints {@code key=value}
 * figures:
 * <ul>
 *   <li>{@code apply}: µs per {@code apply} of a trivial task, p50 and p99, on a warm
 *       {@code Pool(2)} ({@code local_p50}, {@code local_p99}), on one node of two workers in
 *       its own JVM ({@code jvm_p50}, {@code jvm_p99}) and on one in this JVM ({@code here_p50},
 *       {@code here_p99});</li>
 *   <li>{@code map}: ms per {@code map} of 100,000 small ints at the default chunk size, warm,
 *       on {@code Pool(n)} ({@code local_n}) and on n nodes of one worker each
 *       ({@code cluster_n}), n = 1, 2, 3;</li>
 *   <li>{@code failure}: ms from a signal to a node's JVM until its running task fails with a
 *       {@link NodeLostException}: {@code SIGKILL} ({@code kill_ms}, the median, and
 *       {@code kill_min}, {@code kill_max}) and {@code SIGSTOP} ({@code stop_…}).</li>
 * </ul>
 */
public final class ClusterWorkloads {

    private ClusterWorkloads() {}

    record Sizes(int applyWarmup, int applyTrips, int mapItems, int mapWarmup, int mapSamples, int losses) {}

    // applyWarmup: 10,000 a worker, as the multiprocessing suite's; mapWarmup: the local maps'
    // medians settle after some 200 maps on two cores (see MultiprocessingWorkloads.mapItems);
    // losses: each frozen node costs the failure-detection time, some 5 s, and a new node JVM
    static final Sizes FULL = new Sizes(20_000, 10_000, 100_000, 200, 21, 5);
    static final Sizes QUICK = new Sizes(200, 500, 10_000, 3, 3, 1);

    /** The largest number of nodes the map runs on. */
    static final int MAX_NODES = 3;

    /*
     * Hazelcast reports every connection and membership change at INFO, and every connection to a
     * lost node (which the failure workload makes on purpose) as a warning with a stack trace; a
     * node in this JVM reports every driver's session. Only their errors reach the console. Held,
     * or the loggers and their levels are collected.
     */
    private static final List<Logger> QUIET = List.of(Logger.getLogger("com.hazelcast"), Logger.getLogger("dev.pyloom.cluster"));

    // ------------------------------------------------------------------ tasks

    static int identity(int x) {
        return x;
    }

    static long square(int x) {
        return (long) x * x;
    }

    /**
     * Writes the name of the node whose worker runs it to the file {@code item} in
     * {@code directory}, then sleeps {@code millis}.
     */
    static int noteNodeThenSleep(String directory, int item, int millis) throws Exception {
        Files.writeString(Path.of(directory, Integer.toString(item)), System.getProperty("pyloom.node"),
                StandardCharsets.UTF_8);
        Thread.sleep(millis);
        return item;
    }

    // ------------------------------------------------------------------ workloads

    static Map<String, Double> run(String workload, Sizes sizes) throws Exception {
        QUIET.forEach(logger -> logger.setLevel(Level.SEVERE));
        return switch (workload) {
            case "apply" -> applyRoundTrips(sizes);
            case "map" -> maps(sizes);
            case "failure" -> nodeLosses(sizes);
            default -> throw new IllegalArgumentException("unknown workload: " + workload);
        };
    }

    /** {@code apply} round trips on a local Pool(2), a node of two workers in its own JVM, and one in this JVM. */
    static Map<String, Double> applyRoundTrips(Sizes sizes) throws Exception {
        Map<String, Double> out = new LinkedHashMap<>();
        try (Pool local = new Pool(2)) {
            percentiles(out, "local", applyTimes(local, sizes));
        }
        try (LoopbackCluster cluster = new LoopbackCluster()) {
            cluster.startJvm("n1", 2);
            try (Pool pool = cluster.pool(1)) {
                percentiles(out, "jvm", applyTimes(pool, sizes));
            }
        }
        try (LoopbackCluster cluster = new LoopbackCluster()) {
            cluster.startHere("here", 2);
            try (Pool pool = cluster.pool(1)) {
                percentiles(out, "here", applyTimes(pool, sizes));
            }
        }
        return out;
    }

    /** µs per {@code apply} of a trivial task, sorted, after the warm-up. */
    private static double[] applyTimes(Pool pool, Sizes sizes) throws Exception {
        for (int i = 0; i < sizes.applyWarmup(); i++) {
            pool.apply(ClusterWorkloads::identity, i);
        }
        double[] samples = new double[sizes.applyTrips()];
        for (int i = 0; i < samples.length; i++) {
            long t0 = System.nanoTime();
            int echoed = pool.apply(ClusterWorkloads::identity, i);
            samples[i] = (System.nanoTime() - t0) / 1e3;
            if (echoed != i) {
                throw new IllegalStateException("apply returned " + echoed + " for " + i);
            }
        }
        Arrays.sort(samples);
        return samples;
    }

    private static void percentiles(Map<String, Double> out, String side, double[] sorted) {
        out.put(side + "_p50", sorted[sorted.length / 2]);
        out.put(side + "_p99", sorted[(int) (sorted.length * 0.99)]);
    }

    /**
     * {@code map} of small ints on Pool(n) and on n nodes of one worker, n = 1 to 3: the same
     * workers, the same chunks. The nodes start one by one, each measured with the ones before;
     * the local pool is measured while the same node JVMs stand idle.
     */
    static Map<String, Double> maps(Sizes sizes) throws Exception {
        List<Integer> items = IntStream.range(0, sizes.mapItems()).boxed().toList();
        List<Long> squares = items.stream().map(x -> (long) x * x).toList();
        Map<String, Double> out = new LinkedHashMap<>();
        try (LoopbackCluster cluster = new LoopbackCluster()) {
            for (int n = 1; n <= MAX_NODES; n++) {
                cluster.startJvm("n" + n, 1);
                try (Pool local = new Pool(n)) {
                    out.put("local_" + n, warmMap(local, items, squares, sizes));
                }
                try (Pool pool = cluster.pool(n)) {
                    out.put("cluster_" + n, warmMap(pool, items, squares, sizes));
                }
            }
        }
        return out;
    }

    /** The median ms of {@code map(square)} over {@code items}, after the warm-up. */
    private static double warmMap(Pool pool, List<Integer> items, List<Long> squares, Sizes sizes) throws Exception {
        for (int i = 0; i < sizes.mapWarmup(); i++) {
            timeMap(pool, items, squares);
        }
        double[] samples = new double[sizes.mapSamples()];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = timeMap(pool, items, squares);
        }
        Arrays.sort(samples);
        return samples[samples.length / 2];
    }

    private static double timeMap(Pool pool, List<Integer> items, List<Long> squares) throws Exception {
        long t0 = System.nanoTime();
        List<Long> out = pool.map(ClusterWorkloads::square, items);
        double millis = (System.nanoTime() - t0) / 1e6;
        if (!out.equals(squares)) {
            throw new IllegalStateException("map returned the wrong list");
        }
        return millis;
    }

    /**
     * A node lost while it runs a task, {@code losses} times killed and as many frozen: a node
     * in this JVM stays (the pool's way in), and each time a new node joins in a JVM of its own,
     * takes one of two tasks, and is signalled. Timed from the signal to its task's
     * {@link NodeLostException}.
     */
    static Map<String, Double> nodeLosses(Sizes sizes) throws Exception {
        List<Double> killed = new ArrayList<>();
        List<Double> frozen = new ArrayList<>();
        try (LoopbackCluster cluster = new LoopbackCluster()) {
            Node anchor = cluster.startHere("anchor", 1);
            for (int i = 0; i < sizes.losses(); i++) {
                killed.add(loseANode(cluster, anchor, "KILL", "killed-" + i));
                frozen.add(loseANode(cluster, anchor, "STOP", "frozen-" + i));
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("losses", (double) sizes.losses());
        summary(out, "kill", killed);
        summary(out, "stop", frozen);
        return out;
    }

    private static double loseANode(LoopbackCluster cluster, Node anchor, String signal, String name) throws Exception {
        Path runs = Files.createTempDirectory(cluster.directory(), name + "-");
        try (NodeJvm victim = cluster.startJvm(name, 1)) {
            Pool pool = cluster.pool(2);
            try {
                // one task on each node's one worker; the files say which is where, once both run
                List<AsyncResult<Integer>> tasks = List.of(
                        pool.applyAsync(ClusterWorkloads::noteNodeThenSleep, runs.toString(), 0, 120_000),
                        pool.applyAsync(ClusterWorkloads::noteNodeThenSleep, runs.toString(), 1, 120_000));
                AsyncResult<Integer> onVictim = tasks.get(awaitTaskOn(runs, name, tasks));
                victim.signal(signal);
                long sent = System.nanoTime();
                if (!onVictim.await(Duration.ofSeconds(60))) {
                    throw new IllegalStateException("the task on node " + name + " did not fail within a minute of SIG" + signal);
                }
                double millis = (System.nanoTime() - sent) / 1e6;
                try {
                    onVictim.get();
                    throw new IllegalStateException("the task on node " + name + " succeeded after SIG" + signal);
                } catch (ExecutionException failed) {
                    if (!(failed.getCause() instanceof NodeLostException)) {
                        throw new IllegalStateException("the task on node " + name + " failed otherwise", failed.getCause());
                    }
                }
                return millis;
            } finally {
                pool.terminate(); // the anchor's task too
            }
        } finally {
            awaitAlone(anchor);
        }
    }

    /** Waits until both tasks run, and returns the index of the one on node {@code name}. */
    private static int awaitTaskOn(Path runs, String name, List<AsyncResult<Integer>> tasks) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            for (AsyncResult<Integer> task : tasks) {
                if (task.ready()) {
                    task.get(); // throws what it failed with
                    throw new IllegalStateException("a two-minute task ended at once");
                }
            }
            Path first = runs.resolve("0");
            Path second = runs.resolve("1");
            if (Files.exists(first) && Files.exists(second) && Files.size(first) > 0 && Files.size(second) > 0) {
                if (Files.readString(first).equals(name)) {
                    return 0;
                }
                if (Files.readString(second).equals(name)) {
                    return 1;
                }
                throw new IllegalStateException("neither task runs on node " + name);
            }
            Thread.sleep(10); // a benchmark's poll, not a test's synchronisation
        }
        throw new IllegalStateException("the two tasks did not both start within a minute");
    }

    /** Waits until the lost node has left the anchor's cluster, so that the next pool sees only live nodes. */
    private static void awaitAlone(Node anchor) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (anchor.clusterSize() > 1) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the lost node is still in the cluster a minute later");
            }
            Thread.sleep(10);
        }
    }

    private static void summary(Map<String, Double> out, String signal, List<Double> millis) {
        List<Double> sorted = millis.stream().sorted().toList();
        int n = sorted.size();
        out.put(signal + "_ms", n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2);
        out.put(signal + "_min", sorted.get(0));
        out.put(signal + "_max", sorted.get(n - 1));
    }

    public static void main(String[] args) throws Exception {
        WorkloadCommand.main(args, "ClusterWorkloads {apply,map,failure} [--quick]",
                (workload, quick) -> run(workload, quick ? QUICK : FULL));
    }
}

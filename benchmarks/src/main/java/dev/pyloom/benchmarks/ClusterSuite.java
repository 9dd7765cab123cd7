package dev.pyloom.benchmarks;

import dev.pyloom.cluster.internal.HazelcastSetup;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The cluster module against a local pool: a {@code ClusterPool} on nodes of this machine beside
 * a {@code Pool} of as many workers, both measured by {@link ClusterWorkloads} in one JVM, back
 * to back; no Python runs. After the table, how long a lost node takes to fail its task.
 */
final class ClusterSuite implements Suite {

    @Override
    public String name() {
        return "cluster";
    }

    @Override
    public String pythonScript() {
        throw new UnsupportedOperationException("the cluster suite compares pyloom with pyloom; it runs no Python");
    }

    @Override
    public String baseline() {
        return "local Pool";
    }

    @Override
    public String measured() {
        return "ClusterPool";
    }

    @Override
    public Class<?> javaMain() {
        return ClusterWorkloads.class;
    }

    @Override
    public List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("apply", "local_p50", "jvm_p50", "apply round trip, p50: Pool(2) vs a node of 2 workers in its own JVM", "us", Better.LOWER));
        rows.add(new Row("apply", "local_p99", "jvm_p99", "apply round trip, p99: Pool(2) vs a node of 2 workers in its own JVM", "us", Better.LOWER));
        rows.add(new Row("apply", "local_p50", "here_p50", "apply round trip, p50: Pool(2) vs a node of 2 workers in the driver's JVM", "us", Better.LOWER));
        rows.add(new Row("apply", "local_p99", "here_p99", "apply round trip, p99: Pool(2) vs a node of 2 workers in the driver's JVM", "us", Better.LOWER));
        for (int n = 1; n <= ClusterWorkloads.MAX_NODES; n++) {
            String nodes = n == 1 ? "1 node of 1 worker" : n + " nodes of 1 worker each";
            rows.add(new Row("map", "local_" + n, "cluster_" + n, "map of 100,000 small ints, warm: Pool(" + n + ") vs "
                    + nodes, "ms", Better.LOWER));
        }
        return rows;
    }

    /** The table's workloads, and {@code failure}, which has a table of its own. */
    @Override
    public List<String> workloads() {
        return List.of("apply", "map", "failure");
    }

    @Override
    public List<String> jvmOptions(String workload) {
        return LoopbackCluster.HAZELCAST_OPTIONS;
    }

    @Override
    public List<String> notes(List<String> workloads) {
        return List.of("Every node and the driver run on this machine's " + Runtime.getRuntime().availableProcessors()
                + " cores, and talk over 127.0.0.1: the ClusterPool's figures are its cost per task (the driver's"
                + " Hazelcast client, the node's member, the relay to the node's worker JVMs), not a speed-up, which"
                + " only more machines give. A map of n nodes of one worker each runs on as many workers as Pool(n), in"
                + " as many chunks; the node JVMs (and their Hazelcast heartbeats) stand idle while the local pool is"
                + " measured. \"warm\": the median of 21 maps after 200, and apply after 10,000 a worker, on both sides.");
    }

    /**
     * How long a lost node takes to fail its task, from the {@code failure} workload; its table
     * also goes to the cluster README's {@code bench:node-loss} section.
     */
    @Override
    public void printExtras(SideBySide runner, List<String> workloads, Map<String, Map<String, Double>> pyloom)
            throws IOException {
        if (!workloads.contains("failure")) {
            return;
        }
        Map<String, Double> f = pyloom.get("failure");
        System.out.printf(Locale.ROOT, "%nA node lost while it runs a task: from the signal to its node's JVM until the"
                + " task fails with a NodeLostException (ms; %.0f of each)%n%n", f.get("losses"));
        SideBySide.Table table = new SideBySide.Table("the node's JVM", "median", "fastest", "slowest");
        table.add("killed (SIGKILL): its connections close", SideBySide.number(f.get("kill_ms")),
                SideBySide.number(f.get("kill_min")), SideBySide.number(f.get("kill_max")));
        table.add("frozen (SIGSTOP): it falls silent", SideBySide.number(f.get("stop_ms")),
                SideBySide.number(f.get("stop_min")), SideBySide.number(f.get("stop_max")));
        System.out.print(table);
        runner.updateModuleReadme("cluster", "node-loss", table.toString());
        long silence = HazelcastSetup.FAILURE_DETECTION.toSeconds();
        System.out.printf(Locale.ROOT, "%nA frozen node is dropped once nothing has come from it for %d s; it sends a"
                + " heartbeat every second, and silence is looked for every second, so its task fails between %d and %d s"
                + " after it froze: that is the bound. A killed node is noticed at once, when the kernel closes its"
                + " connections. The pool's way into the cluster, a node of one worker, runs in the driver's JVM; each"
                + " lost node is a new JVM of one worker, running one of two tasks.%n", silence, silence - 1, silence + 1);
    }
}

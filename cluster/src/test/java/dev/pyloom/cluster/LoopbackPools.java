package dev.pyloom.cluster;

import dev.pyloom.multiprocessing.Pool;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * ClusterPools for the Pool's contract classes, on {@link LoopbackCluster}s of this JVM: a pool of
 * {@code n} workers is one on a cluster whose nodes have {@code n} workers in all (a
 * {@code ClusterPool}'s {@code processes()} is their sum): one node for one worker, two nodes
 * splitting them for more, so that the contract holds across nodes too. A cluster is started at
 * its first pool and serves the test class's later pools of that size and those JVM options.
 *
 * <p>An extension ({@code @RegisterExtension static final LoopbackPools pools}) rather than
 * {@code @BeforeAll}/{@code @AfterAll} methods: a contract's own {@code @AfterAll} closes the pool
 * its tests share, and JUnit runs a superclass's {@code @AfterAll} after the subclass's, but an
 * extension's {@code afterAll} after both, so the nodes stop last.
 */
final class LoopbackPools implements AfterAllCallback {

    /** Numbers the clusters of this JVM: a node's name is its Hazelcast instance's, which must be unique here. */
    private static final AtomicInteger NUMBER = new AtomicInteger();

    private final Map<List<Object>, LoopbackCluster> clusters = new LinkedHashMap<>(); // guarded by this

    /** A new pool of {@code processes} workers whose JVMs run with {@code jvmOptions}; the caller ends it. */
    synchronized Pool pool(int processes, String... jvmOptions) {
        LoopbackCluster cluster = clusters.computeIfAbsent(List.of(processes, List.of(jvmOptions)),
                key -> start(processes, jvmOptions));
        return cluster.pool(cluster.nodes.size());
    }

    private static LoopbackCluster start(int processes, String... jvmOptions) {
        LoopbackCluster cluster = new LoopbackCluster();
        String prefix = "c" + NUMBER.incrementAndGet() + "-";
        try {
            if (processes == 1) {
                cluster.start(Node.builder().name(prefix + "solo").workers(1).jvmOptions(jvmOptions));
            } else {
                cluster.start(Node.builder().name(prefix + "left").workers(processes / 2).jvmOptions(jvmOptions));
                cluster.start(Node.builder().name(prefix + "right").workers(processes - processes / 2)
                        .jvmOptions(jvmOptions));
            }
        } catch (RuntimeException cannotStart) {
            cluster.close();
            throw cannotStart;
        }
        return cluster;
    }

    /** Stops every cluster's nodes, which kills their workers. */
    @Override
    public synchronized void afterAll(ExtensionContext context) {
        List<LoopbackCluster> started = new ArrayList<>(clusters.values());
        clusters.clear();
        for (LoopbackCluster cluster : started.reversed()) {
            cluster.close();
        }
    }
}

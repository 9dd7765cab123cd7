/**
 * pyloom's {@code Pool} across machines: nodes of worker JVMs joined by Hazelcast
 * ({@link dev.pyloom.cluster.Node}), the same {@code Pool} for the program that uses them
 * ({@link dev.pyloom.cluster.ClusterPool}), and a queue between machines.
 *
 * <p>Only {@code dev.pyloom.cluster} is exported. Hazelcast's own API stays out of it: it is
 * how the nodes and the program reach each other, not what the program programs against.
 */
module dev.pyloom.cluster {
    requires transitive dev.pyloom.multiprocessing;
    // pyloom's internal helpers (the rule for timeouts, pyloom's service threads)
    requires dev.pyloom.common;
    requires com.hazelcast.core;

    exports dev.pyloom.cluster;
}

package dev.pyloom.cluster;

import dev.pyloom.multiprocessing.Pool;
import dev.pyloom.testing.ChildJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;

/** Nodes of one cluster in this JVM, on 127.0.0.1, with a fresh name and key: a test's cluster. */
final class LoopbackCluster implements AutoCloseable {

    final String name = "test-" + UUID.randomUUID();
    final byte[] key = new byte[32];
    final List<Node> nodes = new ArrayList<>();

    LoopbackCluster() {
        new SecureRandom().nextBytes(key);
    }

    /** Starts a node of {@code workers} workers named {@code nodeName}, joining the nodes started before. */
    Node start(String nodeName, int workers) {
        return start(Node.builder().name(nodeName).workers(workers));
    }

    /** Starts the node {@code builder} describes, in this cluster, joining the nodes started before. */
    Node start(Node.Builder builder) {
        builder.cluster(name).port(freePort()).authKey(key);
        for (Node node : nodes) {
            builder.members(node.address());
        }
        Node node = builder.build();
        nodes.add(node);
        return node;
    }

    /** A pool on the cluster's nodes, once {@code count} of them are there. */
    Pool pool(int count) {
        return ClusterPool.builder().cluster(name).members(member()).authKey(key)
                .awaitNodes(count, Duration.ofSeconds(60)).build();
    }

    /**
     * Starts a node of {@code workers} workers named {@code nodeName} in a JVM of its own,
     * joining the nodes of this JVM, and returns once this JVM's nodes see it.
     */
    ChildJvm startJvm(String nodeName, int workers, Path keyFile) throws Exception {
        Files.write(keyFile, key);
        ChildJvm child = ChildJvm.start(childOptions(), Node.class, "--cluster", name, "--name", nodeName, "--port", Integer.toString(freePort()),
                "--members", member(), "--workers", Integer.toString(workers), "--key-file", keyFile.toString());
        int before = nodes.get(0).clusterSize();
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> nodes.get(0).clusterSize() > before
                || !child.process().isAlive());
        if (!child.process().isAlive()) {
            throw new AssertionError("node " + nodeName + " did not start: " + child.await().stderr());
        }
        return child;
    }

    /**
     * Starts a node of {@code workers} workers named {@code nodeName} in a JVM of its own, alone
     * in this cluster, listening on {@code port}; returns at once (a pool waits for it).
     */
    ChildJvm startLoneJvm(String nodeName, int workers, int port, Path keyFile) throws Exception {
        Files.write(keyFile, key);
        return ChildJvm.start(childOptions(), Node.class, "--cluster", name, "--name", nodeName, "--port",
                Integer.toString(port), "--workers", Integer.toString(workers), "--key-file", keyFile.toString());
    }

    /**
     * What a child JVM that runs a node or a driver is started with: Hazelcast's opens, this
     * JVM's logging configuration, and on JDK 23 and later leave for Hazelcast to use
     * {@code sun.misc.Unsafe} (JDK 21 and 22 refuse the option).
     */
    static List<String> childOptions() {
        List<String> options = new ArrayList<>(List.of("--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
                "-Djava.util.logging.config.file=" + System.getProperty("java.util.logging.config.file")));
        if (Runtime.version().feature() >= 23) {
            options.add("--sun-misc-unsafe-memory-access=allow");
        }
        return options;
    }

    String member() {
        return nodes.get(0).address();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        for (Node node : nodes.reversed()) {
            node.close();
        }
    }
}

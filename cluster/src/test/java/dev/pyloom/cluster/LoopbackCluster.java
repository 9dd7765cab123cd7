package dev.pyloom.cluster;

import dev.pyloom.multiprocessing.Pool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

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
        Node.Builder builder = Node.builder().cluster(name).name(nodeName).port(freePort()).workers(workers).authKey(key);
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

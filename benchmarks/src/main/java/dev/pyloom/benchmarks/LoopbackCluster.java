package dev.pyloom.benchmarks;

import dev.pyloom.cluster.ClusterPool;
import dev.pyloom.cluster.Node;
import dev.pyloom.multiprocessing.Pool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A cluster on this machine, on 127.0.0.1, with a fresh name and key: nodes in JVMs of their own
 * (as a deployment runs them, {@link #startJvm}) or in this one ({@link #startHere}), each
 * joining the first, and {@link ClusterPool}s on them. {@link #close()} stops every node, its
 * workers with it, and removes the key.
 */
final class LoopbackCluster implements AutoCloseable {

    /**
     * What Hazelcast asks of a JVM that runs a member or a client (it warns without it, naming
     * these): the node JVMs get it here, the workloads' JVM from {@link ClusterSuite#jvmOptions}.
     * JDK 23 and later also hear that Hazelcast's use of {@code sun.misc.Unsafe} is allowed (JDK 24
     * warns of it).
     */
    static final List<String> HAZELCAST_OPTIONS = hazelcastOptions(Runtime.version().feature());

    static List<String> hazelcastOptions(int jdk) {
        List<String> options = new ArrayList<>(List.of(
                "--add-modules", "java.se",
                "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
                "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-opens", "java.management/sun.management=ALL-UNNAMED",
                "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED"));
        if (jdk >= 23) {
            options.add("--sun-misc-unsafe-memory-access=allow");
        }
        return List.copyOf(options);
    }

    /** How long a node may take to join, and a pool to see its nodes. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final String name = "bench-" + UUID.randomUUID();
    private final byte[] key = new byte[32];
    private final Path directory; // the key and the nodes' logging settings, only this user's
    private final Path keyFile;
    private final Path logging;
    private final List<AutoCloseable> nodes = new ArrayList<>(); // in the order they started
    private String first; // where the first node listens, host:port

    LoopbackCluster() throws IOException {
        new SecureRandom().nextBytes(key);
        directory = Files.createTempDirectory("pyloom-bench-cluster-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        keyFile = Files.write(directory.resolve("cluster.key"), key);
        // a node's Hazelcast reports every membership change and connection at INFO, and warns
        // of every connection to a node that has gone, even one that left in good order: only
        // its errors, and others' warnings, reach the console
        logging = Files.writeString(directory.resolve("logging.properties"), """
                handlers=java.util.logging.ConsoleHandler
                .level=WARNING
                com.hazelcast.level=SEVERE
                """);
    }

    /** A directory of this cluster's, removed with it. */
    Path directory() {
        return directory;
    }

    /** Starts a node of {@code workers} workers in a JVM of its own, joining the first node; returns once it runs. */
    NodeJvm startJvm(String nodeName, int workers) throws IOException, InterruptedException {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        command.addAll(HAZELCAST_OPTIONS);
        command.addAll(List.of("-Djava.util.logging.config.file=" + logging, "-cp", System.getProperty("java.class.path"), Node.class.getName(),
                "--cluster", name, "--name", nodeName, "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--workers", Integer.toString(workers), "--key-file", keyFile.toString()));
        if (first != null) {
            command.addAll(List.of("--members", first));
        }
        NodeJvm node = NodeJvm.start(nodeName, command, PATIENCE);
        joined(node, "127.0.0.1:" + port);
        return node;
    }

    /** Starts a node of {@code workers} workers in this JVM, joining the first node. */
    Node startHere(String nodeName, int workers) {
        Node.Builder builder = Node.builder().cluster(name).name(nodeName).host("127.0.0.1").port(freePort())
                .workers(workers).authKey(key);
        if (first != null) {
            builder.members(first);
        }
        Node node = builder.build();
        joined(node, node.address());
        return node;
    }

    private void joined(AutoCloseable node, String address) {
        nodes.add(node);
        if (first == null) {
            first = address;
        }
    }

    /** A pool on the cluster's nodes, once {@code count} of them are there. */
    Pool pool(int count) {
        return ClusterPool.builder().cluster(name).members(first).authKey(key).awaitNodes(count, PATIENCE).build();
    }

    /** Stops the nodes, the last started first, and removes the key. */
    @Override
    public void close() throws Exception {
        try {
            for (AutoCloseable node : nodes.reversed()) {
                node.close();
            }
        } finally {
            try (Stream<Path> files = Files.walk(directory)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

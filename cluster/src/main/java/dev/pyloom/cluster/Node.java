package dev.pyloom.cluster;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import dev.pyloom.cluster.internal.HazelcastSetup;
import dev.pyloom.cluster.internal.NodeRuntime;
import dev.pyloom.cluster.internal.Signer;
import dev.pyloom.cluster.internal.WorkerProperties;
import dev.pyloom.common.ServiceThreads;
import dev.pyloom.multiprocessing.Multiprocessing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One machine's share of a cluster: a Hazelcast member, and the worker JVMs that run the tasks
 * {@link ClusterPool}s send it. Tasks never run inside the node's own JVM: a task that crashes
 * its worker or exhausts its memory costs that worker (its task fails, a new one starts), not the
 * node. Each driver gets workers of its own, started at its first task and killed when it
 * disconnects or terminates its pool.
 *
 * <p>Started from the command line with the application's class path, so that its workers
 * load the tasks' classes:
 *
 * <pre>
 * java -cp app.jar:libs/* dev.pyloom.cluster.Node --cluster demo --host 10.0.0.5 --port 5701 \
 *      --members 10.0.0.5:5701,10.0.0.6:5701 --workers 8 --key-file cluster.key
 * </pre>
 *
 * <p>or in a program, with {@link #builder()}. {@link #close()}, or the JVM's exit (SIGTERM,
 * Ctrl-C, {@code System.exit}), leaves the cluster in good order and kills the node's workers;
 * the drivers fail the tasks it had with a {@link NodeLostException}.
 */
public final class Node implements AutoCloseable {

    /** The cluster's name when none is given. */
    public static final String DEFAULT_CLUSTER = "pyloom";

    /** The port a node listens on when none is given: Hazelcast's. */
    public static final int DEFAULT_PORT = 5701;

    private static final AtomicInteger NUMBER = new AtomicInteger();

    private final String name;
    private final String cluster;
    private final String address;
    private final int workers;
    private final NodeRuntime runtime;
    private final Path keyFile;
    private final HazelcastInstance member;
    private final Thread atExit = new Thread(this::close, "pyloom-node-exit");
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile boolean closing;       // close() was called
    private volatile boolean endedOutside;  // the member was shut down by something else than close()

    private Node(Builder options) {
        this.name = options.name != null ? options.name : "node-" + ProcessHandle.current().pid() + "-" + NUMBER.incrementAndGet();
        this.cluster = options.cluster;
        this.address = options.host + ":" + options.port;
        this.workers = options.workers > 0 ? options.workers : Multiprocessing.cpuCount();
        Signer signer = new Signer(options.key);
        try {
            this.keyFile = WorkerProperties.writeKey(options.key);
        } catch (IOException e) {
            throw new UncheckedIOException("node " + name + " cannot write the key for its workers: " + e.getMessage(), e);
        }
        this.runtime = new NodeRuntime(name, workers, signer, options.jvmOptions, options.classPath, cluster, address,
                keyFile);
        try {
            this.member = Hazelcast.newHazelcastInstance(HazelcastSetup.member(cluster, options.host, options.port,
                    options.members, name, workers, runtime));
        } catch (RuntimeException cannotStart) {
            WorkerProperties.removeKey(keyFile);
            throw new IllegalStateException("node " + name + " cannot start on " + address + ": "
                    + cannotStart.getMessage(), cannotStart);
        }
        runtime.attach(member);
        member.getLifecycleService().addLifecycleListener(event -> {
            if (event.getState() == LifecycleEvent.LifecycleState.SHUTTING_DOWN && !closing) {
                endedOutside = true; // its member is going: the workers, the key and main go with it
                ServiceThreads.daemon("pyloom-node-member-gone").start(this::close);
            }
        });
        Runtime.getRuntime().addShutdownHook(atExit); // SIGTERM, Ctrl-C, System.exit: leave in good order
    }

    /** How a node is started: its cluster, its address, the members it joins, its workers, the key. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The node's name, in messages and as the system property {@code pyloom.node} of its
     * workers (which also have {@code pyloom.cluster}, the cluster's name, and
     * {@code pyloom.cluster.member}, this node's address).
     */
    public String name() {
        return name;
    }

    /** {@code host:port}, where the node listens. */
    public String address() {
        return address;
    }

    /** How many workers each driver gets here. */
    public int workers() {
        return workers;
    }

    /** How many drivers have workers here now. */
    public int drivers() {
        return runtime.sessions();
    }

    /** The UUID of the node's Hazelcast member. */
    String memberId() {
        return member.getCluster().getLocalMember().getUuid().toString();
    }

    /** How many members its cluster has now, as this node sees it: this one, the other nodes, and any other member. */
    public int clusterSize() {
        return member.getCluster().getMembers().size();
    }

    /** Whether the node is still in its cluster. */
    public boolean isRunning() {
        return member.getLifecycleService().isRunning();
    }

    /** Leaves the cluster and kills the workers; the tasks they ran fail in their drivers. Idempotent. */
    @Override
    public void close() {
        closing = true;
        runtime.close();
        member.shutdown();
        WorkerProperties.removeKey(keyFile);
        closed.countDown();
        if (Thread.currentThread() != atExit) {
            try {
                Runtime.getRuntime().removeShutdownHook(atExit);
            } catch (IllegalStateException exiting) {
                // the JVM is exiting: the hook runs close() again, which finds it done
            }
        }
    }

    @Override
    public String toString() {
        return "node " + name + " (" + address + ", cluster " + cluster + ", " + workers + " workers)";
    }

    /**
     * Starts a node and runs it until the JVM is stopped (SIGTERM, Ctrl-C). Arguments:
     * {@code --cluster NAME}, {@code --host HOST} (the interface to bind, default 127.0.0.1),
     * {@code --port PORT} (5701), {@code --members HOST:PORT,...} (the nodes to join; none for
     * the first), {@code --workers N} (one per processor), {@code --name NAME}, and the key: {@code --key-file FILE} (its
     * bytes) or the environment variable {@code PYLOOM_CLUSTER_KEY}.
     */
    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(USAGE);
            return;
        }
        Node node;
        try {
            node = fromArguments(args).build();
        } catch (IllegalArgumentException | IllegalStateException cannot) {
            System.err.println("pyloom node: " + cannot.getMessage());
            if (cannot instanceof IllegalArgumentException) {
                System.err.println(USAGE);
            }
            System.exit(cannot instanceof IllegalArgumentException ? 2 : 1);
            return;
        }
        System.out.println("pyloom " + node + " is running");
        System.out.flush();
        node.closed.await(); // until SIGTERM or Ctrl-C: the node's shutdown hook closes it
        if (node.endedOutside) {
            System.err.println("pyloom node " + node.name + ": its Hazelcast member was shut down from outside the"
                    + " node; it has stopped its workers and exits");
            System.exit(1);
        }
    }

    private static final String USAGE = "usage: java -cp <your classes and pyloom's> dev.pyloom.cluster.Node"
            + " --cluster NAME [--host HOST] [--port PORT] [--members HOST:PORT,...] [--workers N] [--name NAME]"
            + " (--key-file FILE | env PYLOOM_CLUSTER_KEY)";

    static Builder fromArguments(String[] args) {
        Builder builder = builder();
        byte[] key = null;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--cluster" -> builder.cluster(value);
                case "--host" -> builder.host(value);
                case "--port" -> builder.port(parse(option, value));
                case "--members" -> builder.members(value.split(","));
                case "--workers" -> builder.workers(parse(option, value));
                case "--name" -> builder.name(value);
                case "--key-file" -> key = readKey(Path.of(value));
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (key == null) {
            String fromEnvironment = System.getenv("PYLOOM_CLUSTER_KEY");
            if (fromEnvironment == null) {
                throw new IllegalArgumentException("no key: give --key-file FILE or set PYLOOM_CLUSTER_KEY");
            }
            key = fromEnvironment.getBytes(StandardCharsets.UTF_8);
        }
        if (key.length < 16) {
            throw new IllegalArgumentException("the cluster's key is " + key.length + " bytes; it needs at least 16:"
                    + " make one with `head -c 32 /dev/urandom > cluster.key`");
        }
        return builder.authKey(key);
    }

    /** The key file's bytes, saying which file and what is wrong if they cannot be read; a warning if others may read it. */
    private static byte[] readKey(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("the key file " + file + (Files.isDirectory(file) ? " is a directory"
                    : " does not exist") + ": give --key-file the file that holds the cluster's key");
        }
        try {
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
                if (permissions.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                    System.err.println("pyloom node: warning: the key file " + file + " can be read by others than its"
                            + " owner (" + PosixFilePermissions.toString(permissions) + "): chmod 600 " + file);
                }
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the key file " + file + ": " + e);
        }
    }

    private static int parse(String option, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a number, got \"" + value + "\"");
        }
    }

    /** @throws IllegalArgumentException unless {@code member} is {@code host:port} */
    static String requireHostPort(String member) {
        Objects.requireNonNull(member, "member");
        int colon = member.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("a member is host:port, got \"" + member + "\"");
        }
        try {
            int port = Integer.parseInt(member.substring(colon + 1));
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a member is host:port with a port from 1 to 65535, got \"" + member + "\"");
        }
        return member;
    }

    /** How a {@link Node} is started. */
    public static final class Builder {
        private String cluster = DEFAULT_CLUSTER;
        private String host = "127.0.0.1";
        private int port = DEFAULT_PORT;
        private final List<String> members = new ArrayList<>();
        private int workers;
        private String name;
        private byte[] key;
        private List<String> jvmOptions = List.of();
        private List<Path> classPath;

        private Builder() {}

        /** The cluster's name; {@code "pyloom"} if not set. Nodes and drivers of one cluster give the same. */
        public Builder cluster(String name) {
            this.cluster = Objects.requireNonNull(name, "name");
            return this;
        }

        /** The interface the node binds, and the address others reach it at; 127.0.0.1 if not set. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The port the node listens on; 5701 if not set. */
        public Builder port(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("a port is from 1 to 65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /** {@code host:port} of the nodes to join (this one's own may be among them); none for the first node. */
        public Builder members(String... hostPorts) {
            for (String member : hostPorts) {
                members.add(requireHostPort(member.strip()));
            }
            return this;
        }

        /** How many worker JVMs each driver gets on this node; one per processor if not set. */
        public Builder workers(int workers) {
            if (workers < 1) {
                throw new IllegalArgumentException("a node needs at least one worker, got " + workers);
            }
            this.workers = workers;
            return this;
        }

        /** The node's name, for messages; made from the process id if not set. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** The cluster's key, at least 16 bytes: the node runs only what is signed with it. */
        public Builder authKey(byte[] key) {
            this.key = Objects.requireNonNull(key, "key").clone();
            return this;
        }

        /** Options for the workers' JVMs ({@code -Xmx2g}). */
        public Builder jvmOptions(String... options) {
            this.jvmOptions = List.of(options);
            return this;
        }

        /** What the workers load, when the node's own class path is not what they need. */
        public Builder classPath(List<Path> entries) {
            this.classPath = List.copyOf(entries);
            return this;
        }

        /**
         * Starts the node: joins its cluster (or starts it, if no member answers).
         *
         * @throws IllegalStateException if no key was given, or the node cannot start (its port is taken, say)
         */
        public Node build() {
            if (key == null) {
                throw new IllegalStateException("a node needs the cluster's key: authKey(bytes), or --key-file");
            }
            try {
                return new Node(this);
            } finally {
                Arrays.fill(key, (byte) 0);
            }
        }
    }
}

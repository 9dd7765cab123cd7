package dev.pyloom.cluster.internal;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.ClassFilter;
import com.hazelcast.config.Config;
import com.hazelcast.config.ExecutorConfig;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How pyloom sets Hazelcast up, for a node's member and a driver's client alike: one place for
 * the settings the guarantees in the README rest on.
 *
 * <ul>
 *   <li><b>Nothing leaves the machine unasked:</b> phone-home off; no multicast or cloud
 *       discovery, only the members given (TCP-IP join); a member binds the one interface it
 *       is given.</li>
 *   <li><b>A lost node is noticed in {@link #FAILURE_DETECTION}:</b> members and clients send
 *       a heartbeat every second, and give up on a peer silent for five. A killed process is
 *       noticed sooner, when its connections close.</li>
 *   <li><b>pyloom's own messages only:</b> the calls of {@link Calls}, through their factory;
 *       no user class is ever serialized by Hazelcast. A driver's client reads no class in Java's
 *       format ({@link #noJavaSerialization}); a member, whose own traffic between members
 *       needs some, reads none that Hazelcast's list of known gadget classes names.</li>
 * </ul>
 */
public final class HazelcastSetup {

    /** The executor that runs the driver's calls on a node. */
    public static final String EXECUTOR = "pyloom-jobs";

    /**
     * The executor of a driver's short calls to a node: its proof that it holds the key, and the
     * commands about a session. Apart from the jobs', whose threads a job holds while it runs.
     */
    public static final String CONTROL = "pyloom-control";

    /**
     * The member attribute that says a member is a pyloom node, and how many workers it has:
     * what any member may claim, so a driver sends work only to one that proves it holds the key.
     */
    public static final String WORKERS = "pyloom.workers";

    /** The member attribute that names a node. */
    public static final String NODE_NAME = "pyloom.node";

    /** Where a node's member keeps its node, for the calls that run there. */
    public static final String NODE_CONTEXT = "pyloom.node";

    /** How long a silent (frozen, cut off) member or client is waited for before it is dropped. */
    public static final Duration FAILURE_DETECTION = Duration.ofSeconds(5);

    private static final String HEARTBEAT = "1";

    /** An address no client connects from (TEST-NET-1, RFC 5737, set aside for documentation). */
    private static final String NO_CLIENT = "192.0.2.1";
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private HazelcastSetup() {}

    /**
     * A node's member: in {@code cluster}, bound to {@code host}:{@code port}, joining
     * {@code members} ({@code host:port} each; the node's own address may be among them).
     */
    public static Config member(String cluster, String host, int port, List<String> members, String nodeName,
            int workers, Object node) {
        Config config = new Config();
        config.setClusterName(cluster);
        config.setInstanceName("pyloom-node-" + nodeName + "-" + INSTANCES.incrementAndGet()); // unique in the JVM
        quiet(config);
        config.setProperty("hazelcast.heartbeat.interval.seconds", HEARTBEAT);
        config.setProperty("hazelcast.max.no.heartbeat.seconds", Long.toString(FAILURE_DETECTION.toSeconds()));
        config.setProperty("hazelcast.client.max.no.heartbeat.seconds", Long.toString(FAILURE_DETECTION.toSeconds()));
        config.setProperty("hazelcast.local.localAddress", host);
        config.setProperty("hazelcast.socket.bind.any", "false");
        // The node's own hook leaves the cluster in good order (Hazelcast's would terminate it).
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(port).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface(host);
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(members.isEmpty() ? List.of(host + ":" + port) : members);
        // Hazelcast takes Management Center's commands (shut a member or the cluster down, change
        // its state) from any client, unless trusted interfaces are named: one no client has.
        config.getManagementCenterConfig().setConsoleEnabled(false).setScriptingEnabled(false)
                .addTrustedInterface(NO_CLIENT);
        config.getMemberAttributeConfig().setAttribute(WORKERS, Integer.toString(workers));
        config.getMemberAttributeConfig().setAttribute(NODE_NAME, nodeName);
        // Each job blocks one executor thread for as long as it runs; a node runs at most its
        // workers' number per driver, and a few drivers at once.
        config.addExecutorConfig(new ExecutorConfig(EXECUTOR).setPoolSize(Math.max(16, workers * 8)));
        config.addExecutorConfig(new ExecutorConfig(CONTROL).setPoolSize(4));
        config.getSerializationConfig().addDataSerializableFactory(Calls.FACTORY_ID, new Calls.Factory());
        config.getSerializationConfig().setJavaSerializationFilterConfig(new JavaSerializationFilterConfig());
        config.getUserContext().put(NODE_CONTEXT, node);
        return config;
    }

    /** A driver's client of {@code cluster}, which first connects to one of {@code members}. */
    public static ClientConfig client(String cluster, List<String> members, Duration connectTimeout) {
        ClientConfig config = new ClientConfig();
        config.setClusterName(cluster);
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.client.heartbeat.interval", Long.toString(Duration.ofSeconds(1).toMillis()));
        config.setProperty("hazelcast.client.heartbeat.timeout", Long.toString(FAILURE_DETECTION.toMillis()));
        config.setProperty("hazelcast.client.shuffle.member.list", "false");
        config.getNetworkConfig().setAddresses(List.copyOf(members));
        config.getConnectionStrategyConfig().getConnectionRetryConfig()
                .setClusterConnectTimeoutMillis(connectTimeout.toMillis());
        config.getSerializationConfig().addDataSerializableFactory(Calls.FACTORY_ID, new Calls.Factory());
        config.getSerializationConfig().setJavaSerializationFilterConfig(noJavaSerialization());
        return config;
    }

    /**
     * A filter that lets no class through Java deserialization: Hazelcast's defaults off, and
     * a list of allowed classes that names one that does not exist (an empty list would mean
     * "allow all").
     */
    public static JavaSerializationFilterConfig noJavaSerialization() {
        return new JavaSerializationFilterConfig().setDefaultsDisabled(true)
                .setWhitelist(new ClassFilter().addClasses("dev.pyloom.cluster.NoJavaSerialization"));
    }

    private static void quiet(Config config) {
        config.setProperty("hazelcast.phone.home.enabled", "false");
    }
}

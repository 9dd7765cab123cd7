package dev.pyloom.cluster;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.core.HazelcastInstance;
import dev.pyloom.cluster.internal.ClusterPlaces;
import dev.pyloom.cluster.internal.HazelcastSetup;
import dev.pyloom.cluster.internal.ProgramEnd;
import dev.pyloom.cluster.internal.Signer;
import dev.pyloom.common.Durations;
import dev.pyloom.multiprocessing.Pool;
import dev.pyloom.multiprocessing.spi.PoolAccess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * A {@link Pool} whose workers are on a cluster's {@linkplain Node nodes}: the same API,
 * {@code apply}, {@code applyAsync} with callbacks, {@code map}, {@code imap}, {@code starmap},
 * {@code close}, {@code join}, {@code terminate}, so code written against {@code Pool} runs on
 * the cluster by changing only the line that makes the pool:
 *
 * <pre>{@code
 * try (Pool pool = ClusterPool.builder()
 *         .cluster("demo")
 *         .members("10.0.0.5:5701", "10.0.0.6:5701")
 *         .authKey(key)
 *         .build()) {
 *     List<Integer> squares = pool.map(Demo::square, List.of(1, 2, 3));
 * }
 * }</pre>
 *
 * <p>The pool sends a node a task only when one of its workers is free, so no task waits
 * behind a slow one while another node idles; a node that joins takes tasks at once, and one
 * that is lost fails only the tasks it had, with a {@link NodeLostException}. Its
 * {@link Pool#processes()} is the number of workers its nodes have now. What differs from a
 * local pool: the builder has no initializer or {@code maxTasksPerChild} (a node's workers are
 * set up by the node), and {@code map}'s default chunk size is counted from the workers there
 * are when it is called.
 */
public final class ClusterPool {

    private ClusterPool() {}

    /** How the pool finds its cluster: its name, a member or two, the key. */
    public static Builder builder() {
        return new Builder();
    }

    /** How a {@link ClusterPool} is made. */
    public static final class Builder {
        private String cluster = Node.DEFAULT_CLUSTER;
        private final List<String> members = new ArrayList<>();
        private byte[] key;
        private int nodes = 1;
        private Duration patience = Duration.ofSeconds(30);

        private Builder() {}

        /** The cluster's name, as its nodes were given it; {@code "pyloom"} if not set. */
        public Builder cluster(String name) {
            this.cluster = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Where to find the cluster: {@code host:port} of one or more of its nodes. The pool
         * connects to one, learns of the others from it, and of those that join later.
         */
        public Builder members(String... hostPorts) {
            for (String member : hostPorts) {
                members.add(Node.requireHostPort(member));
            }
            return this;
        }

        /**
         * The cluster's key, the nodes' own: every task is signed with it, and a node runs
         * nothing that is not. At least 16 bytes.
         */
        public Builder authKey(byte[] key) {
            this.key = Objects.requireNonNull(key, "key").clone();
            return this;
        }

        /**
         * How many nodes to wait for before {@link #build()} returns, and how long, in all; by
         * default one node, 30 seconds.
         *
         * @throws IllegalArgumentException if {@code count} is less than one or {@code patience} negative
         */
        public Builder awaitNodes(int count, Duration patience) {
            if (count < 1) {
                throw new IllegalArgumentException("wait for at least one node, got " + count);
            }
            Durations.timeoutNanos(patience, "patience");
            this.nodes = count;
            this.patience = patience;
            return this;
        }

        /**
         * Connects to the cluster and waits for its nodes.
         *
         * @throws IllegalStateException if no member was given, no key, or the cluster cannot
         *                               be reached or has too few nodes in time (the cause says which)
         */
        public Pool build() {
            if (members.isEmpty()) {
                throw new IllegalStateException("a ClusterPool needs a member to connect to: members(\"host:port\")");
            }
            if (key == null) {
                throw new IllegalStateException("a ClusterPool needs the cluster's key: authKey(bytes), the nodes' own");
            }
            Signer signer = new Signer(key);
            Arrays.fill(key, (byte) 0);
            key = null;
            long deadline = System.nanoTime() + patience.toNanos();
            HazelcastInstance client;
            try {
                client = HazelcastClient.newHazelcastClient(HazelcastSetup.client(cluster, members, patience));
            } catch (IllegalStateException cannotConnect) {
                throw new IllegalStateException("cannot reach cluster \"" + cluster + "\" at " + members + " in "
                        + patience.toMillis() + " ms: is a node running there, with that cluster name?", cannotConnect);
            }
            ClusterPlaces places = null;
            try {
                places = new ClusterPlaces("ClusterPool", client, signer, NodeLostException::new);
                awaitNodes(places, deadline);
            } catch (TimeoutException | InterruptedException | RuntimeException notReady) {
                client.shutdown();
                if (notReady instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException(notReady.getMessage(), notReady);
            }
            ProgramEnd.watch(client); // a program that never closes its pool still exits, as with a local pool
            return PoolAccess.get().remotePool("ClusterPool", places);
        }

        private void awaitNodes(ClusterPlaces places, long deadline) throws TimeoutException, InterruptedException {
            while (places.nodes() < nodes) {
                if (System.nanoTime() - deadline > 0) {
                    throw new TimeoutException("cluster \"" + cluster + "\" has " + places.nodes() + " pyloom nodes,"
                            + " and " + nodes + " were waited for " + patience.toMillis() + " ms"
                            + (places.unproven() == 0 ? "" : "; " + places.unproven() + " member(s) said they were"
                            + " nodes but could not prove they hold this pool's key: give the pool the nodes' key"));
                }
                places.awaitNodeChange(Duration.ofMillis(100));
            }
        }
    }
}

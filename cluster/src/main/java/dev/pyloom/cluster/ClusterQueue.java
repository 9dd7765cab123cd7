package dev.pyloom.cluster;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.HazelcastClientNotActiveException;
import com.hazelcast.client.HazelcastClientOfflineException;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.collection.IQueue;
import com.hazelcast.config.InvalidConfigurationException;
import com.hazelcast.config.QueueConfig;
import com.hazelcast.core.HazelcastException;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.nio.serialization.HazelcastSerializationException;
import dev.pyloom.cluster.internal.HazelcastSetup;
import dev.pyloom.cluster.internal.ProgramEnd;
import dev.pyloom.cluster.internal.SignedItems;
import dev.pyloom.cluster.internal.Signer;
import dev.pyloom.cluster.internal.WorkerProperties;
import dev.pyloom.common.Durations;
import dev.pyloom.ipc.Json;
import dev.pyloom.ipc.MalformedMessageException;
import dev.pyloom.ipc.QueueEmptyException;
import dev.pyloom.ipc.QueueFullException;
import dev.pyloom.ipc.TypeRef;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;

/**
 * A first-in, first-out queue between programs on different machines: Python's
 * {@code multiprocessing.Queue} with the API of pyloom-ipc's {@link dev.pyloom.ipc.Queue}, kept
 * by a cluster's {@linkplain Node nodes}. Any program that can reach a node and has the
 * cluster's key opens the queue by its name: a driver, a task on a node's worker, a program of
 * its own. The tutorial's writer and reader, on two machines:
 *
 * <pre>{@code
 * // the writer, in a program that knows where the cluster is
 * try (ClusterQueue<String> q = ClusterQueue.builder("greetings", String.class)
 *         .cluster("demo").members("10.0.0.5:5701").authKey(key).connect()) {
 *     q.put("hello");
 * }
 *
 * // the reader, a task that a ClusterPool runs on a node's worker, which knows its cluster
 * static String reader() throws IOException {
 *     try (ClusterQueue<String> q = ClusterQueue.onThisNode("greetings", String.class)) {
 *         return q.get();
 *     }
 * }
 * }</pre>
 *
 * <p><b>Items</b> are JSON, as ipc's queue's are: {@code put} encodes (and fails at once, with
 * {@link IllegalArgumentException}, for a value that cannot be encoded), {@code get} decodes
 * into the queue's type. What comes out is always a copy.
 *
 * <p><b>Each item once, in order.</b> The queue is one Hazelcast {@code IQueue}: first in,
 * first out, and an item leaves it once, to the one {@code get} that takes it, whichever of
 * the consumers asks. A {@code put} returns once its item is in the queue, so the items of
 * each producer are in the order it put them, and each consumer gets them in that order. As in
 * Python, an item a consumer has taken is lost if the consumer dies holding it. pyloom never
 * repeats a put or a get, nor lets Hazelcast repeat one that may have run: if the cluster fails
 * in the middle of one (the node that keeps the queue is lost, the connection breaks), the call
 * ends with an {@code IOException}, and it may have put its item, or taken it and dropped it, or
 * not; nothing can tell which. An item is never got twice, unless a network failure splits the
 * cluster into halves that both go on (Hazelcast's "split brain"): each half then serves its
 * own copy of the queue.
 *
 * <p><b>Where the items live.</b> In the cluster, not in any program that uses the queue: on
 * the node that owns the queue (Hazelcast's partition of its name), with a backup on another
 * node. {@link #close()} ends this connection only; the items stay while the cluster runs, so a
 * queue outlives its producers, and what was put before a consumer connected waits for it. With
 * two nodes or more, the items survive the loss of one node at a time; they go with the last
 * node. A queue that nobody empties keeps its items, and their memory, until then.
 *
 * <p><b>Bounded queues.</b> {@code maxsize} is the queue's, not the connection's: the first
 * connection to a queue sets it, for as long as the cluster runs, and a connection that gives
 * another is refused. Every program that opens a queue gives the same maxsize (0, unbounded,
 * unless said otherwise), as they give the same cluster name and key.
 *
 * <p><b>Signed items.</b> Hazelcast Community has no authentication: anyone who can reach a
 * node's port can write into the cluster's queues. So every item is signed with the cluster's
 * key (HMAC-SHA256, with the queue's name), and a get refuses an item whose signature does not
 * check: it throws a {@link SecurityException} that says so, the item is dropped, and the queue
 * goes on (the next get takes the next item). A stranger's item is never decoded, and this
 * connection reads no Java-serialized object at all. What the signature does not do: hide the
 * items (they travel and lie in the cluster as plain JSON), or keep a stranger from taking
 * items or from putting back copies of signed ones. For that, only the cluster's own machines
 * may reach its ports, as Hazelcast's documentation asks of any cluster without security.
 *
 * <p><b>Waits, interrupts and close.</b> A get or put that waits asks the cluster in slices of
 * a quarter of a second, each a call the node answers with an item (or room) or with "none
 * yet". An interrupt is honoured between slices, never inside one: an interrupted call either
 * throws an {@link InterruptedIOException} (the thread's interrupt status set) having taken or
 * put nothing, or returns having done so (the status still set). A {@code close()} while another
 * thread waits costs that wait a slice at most.
 *
 * <p><b>Errors:</b> {@link QueueEmptyException} and {@link QueueFullException} are Python's
 * {@code queue.Empty} and {@code queue.Full}, the same as ipc's queues throw; a cluster that
 * cannot be reached or fails in a call is an {@code IOException}; a signed item that does not
 * decode as the queue's type is a {@link MalformedMessageException} (the item is dropped); an
 * interrupted wait an {@link InterruptedIOException}. Using a queue after {@code close()}
 * throws {@link IllegalStateException}: every method but {@link #maxsize()} and {@code close()}.
 *
 * <p>Thread-safe: any number of threads may put and get through one connection.
 *
 * @param <T> the element type
 */
public final class ClusterQueue<T> implements AutoCloseable {

    /*
     * Why every call to the cluster runs on a thread of its own (see call()): a Hazelcast client
     * call sends its request and then waits for the answer, and an interrupt during that wait
     * abandons the answer. If the request was a poll, the node has taken the item all the same,
     * and it is lost: no item may be lost to an interrupt. So the calling thread waits for the
     * call's thread without heeding interrupts, and looks at its interrupt status only between
     * calls. The wait is sliced so that such a look comes often.
     */

    /**
     * How long one call to the cluster waits for an item or for room. An interrupt, and a
     * {@code close()} from another thread, wait for the slice under way, so this is how late
     * they may come; against that, a consumer waiting on an empty queue costs the node that
     * keeps it a round trip each slice.
     */
    private static final long SLICE_NANOS = Duration.ofMillis(250).toNanos();

    /** The timeout of the calls without one. */
    private static final long FOREVER = -1;

    /** What a queue's name is made of: nothing Hazelcast reads as a pattern ({@code *}) or a partition key ({@code @}). */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,200}");

    /** The prefix of the Hazelcast queues that are pyloom's. */
    static final String HAZELCAST_PREFIX = "pyloom.queue.";

    private final String name;
    private final String cluster;
    private final JavaType type;
    private final int maxsize;
    private final SignedItems items;
    private final HazelcastInstance client;
    private final IQueue<Object> queue;

    // Each call to the cluster holds the read lock; close() takes the write lock, so it waits
    // for the calls under way (a slice at most), and no call starts after it.
    private final ReentrantReadWriteLock calls = new ReentrantReadWriteLock();
    private volatile boolean closed; // false -> true, once, under the write lock

    private ClusterQueue(String name, String cluster, JavaType type, int maxsize, SignedItems items,
            HazelcastInstance client) {
        this.name = name;
        this.cluster = cluster;
        this.type = type;
        this.maxsize = maxsize;
        this.items = items;
        this.client = client;
        this.queue = client.getQueue(HAZELCAST_PREFIX + name);
    }

    /**
     * How to open the queue {@code name} of a cluster, whose items are {@code type}s: give the
     * cluster's name, a member or two and the key, then {@link Builder#connect()}.
     *
     * @throws IllegalArgumentException unless {@code name} is 1 to 200 ASCII letters, digits, dots, dashes or underscores
     */
    public static <T> Builder<T> builder(String name, Class<T> type) {
        return new Builder<>(name, Json.mapper().getTypeFactory().constructType(Objects.requireNonNull(type, "type")));
    }

    /** {@link #builder(String, Class)} for a generic type: {@code new TypeRef<List<Point>>() {}}. */
    public static <T> Builder<T> builder(String name, TypeRef<T> type) {
        return new Builder<>(name, Json.mapper().getTypeFactory().constructType(Objects.requireNonNull(type, "type").type()));
    }

    /**
     * The unbounded queue {@code name} of the cluster this JVM's node belongs to, for a task
     * running on a node's worker: {@code builder(name, type).thisNode().connect()}.
     *
     * @throws IllegalStateException if this JVM is not a node's worker, or the cluster cannot be reached
     */
    public static <T> ClusterQueue<T> onThisNode(String name, Class<T> type) {
        return builder(name, type).thisNode().connect();
    }

    /**
     * The queue {@code name} of at most {@code maxsize} items (unbounded if {@code <= 0}) of the
     * cluster this JVM's node belongs to, for a task running on a node's worker.
     *
     * @throws IllegalStateException if this JVM is not a node's worker, the cluster cannot be
     *                               reached, or the queue has another maxsize
     */
    public static <T> ClusterQueue<T> onThisNode(String name, Class<T> type, int maxsize) {
        return builder(name, type).thisNode().maxsize(maxsize).connect();
    }

    /**
     * Adds {@code item}, waiting for room if the queue is bounded and full. Python's {@code put(obj)}.
     *
     * @throws IllegalArgumentException if the item cannot be encoded as JSON (nothing is put)
     * @throws InterruptedIOException   if the thread was interrupted while waiting for room
     * @throws IOException              if the cluster failed in the call (see the class's notes)
     */
    public void put(T item) throws IOException {
        offer(item, FOREVER);
    }

    /**
     * Adds {@code item}, waiting at most {@code timeout} for room. Python's {@code put(obj, timeout=t)}.
     *
     * @throws QueueFullException       if there was no room in time
     * @throws IllegalArgumentException if {@code timeout} is negative, or the item cannot be encoded
     */
    public void put(T item, Duration timeout) throws IOException {
        offer(item, Durations.timeoutNanos(timeout, "timeout"));
    }

    /**
     * Adds {@code item} if there is room now. Python's {@code put_nowait(obj)}.
     *
     * @throws QueueFullException if the queue is full
     */
    public void putNowait(T item) throws IOException {
        offer(item, 0);
    }

    /**
     * Removes and returns the oldest item, waiting for one. Python's {@code get()}.
     *
     * @throws SecurityException         if the item is not signed with the cluster's key (it is dropped)
     * @throws MalformedMessageException if the item is not a {@code T} (it is dropped)
     * @throws InterruptedIOException    if the thread was interrupted while waiting
     * @throws IOException               if the cluster failed in the call (see the class's notes)
     */
    public T get() throws IOException {
        return poll(FOREVER);
    }

    /**
     * Removes and returns the oldest item, waiting at most {@code timeout}. Python's {@code get(timeout=t)}.
     *
     * @throws QueueEmptyException      if no item came in time
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public T get(Duration timeout) throws IOException {
        return poll(Durations.timeoutNanos(timeout, "timeout"));
    }

    /**
     * Removes and returns the oldest item if there is one now. Python's {@code get_nowait()}.
     *
     * @throws QueueEmptyException if the queue is empty
     */
    public T getNowait() throws IOException {
        return poll(0);
    }

    /** The number of items in the queue: approximate while others use it, as in Python. */
    public int qsize() throws IOException {
        return call(IQueue::size);
    }

    /** Whether the queue is empty (approximate, see {@link #qsize()}). */
    public boolean empty() throws IOException {
        return qsize() == 0;
    }

    /** Whether a bounded queue is full (approximate, see {@link #qsize()}). */
    public boolean full() throws IOException {
        return maxsize > 0 && qsize() >= maxsize;
    }

    /** The queue's bound; 0 for an unbounded queue. */
    public int maxsize() {
        return maxsize;
    }

    /** The queue's name, the same in every program that uses it. */
    public String name() {
        return name;
    }

    /**
     * Ends this connection to the queue: waits for a call under way in another thread (a slice
     * at most), then disconnects from the cluster. Later calls throw {@link IllegalStateException}.
     * The queue and its items stay in the cluster, for the other programs that use it. Idempotent.
     */
    @Override
    public void close() {
        calls.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                ProgramEnd.forget(client);
                client.shutdown();
            }
        } finally {
            calls.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "ClusterQueue[" + describe() + ", " + type.toCanonical() + ", maxsize=" + maxsize
                + (closed ? ", closed]" : "]");
    }

    private String describe() {
        return "queue \"" + name + "\" of cluster \"" + cluster + "\"";
    }

    /**
     * Puts {@code item}, waiting up to {@code nanos} ({@link #FOREVER} for as long as it takes).
     * The item is encoded and signed once; each slice offers the same bytes.
     */
    private void offer(T item, long nanos) throws IOException {
        byte[] stored = items.seal(encode(item));
        long deadline = deadline(nanos);
        while (true) {
            long slice = slice(nanos, deadline);
            if (slice > 0) {
                checkInterrupt();
            }
            QueueCall<Boolean> request = slice == 0 ? q -> q.offer(stored) : q -> q.offer(stored, slice, TimeUnit.NANOSECONDS);
            if (call(request)) {
                return;
            }
            if (timedOut(nanos, deadline)) {
                throw new QueueFullException();
            }
        }
    }

    /** Takes an item, waiting up to {@code nanos} ({@link #FOREVER} for as long as it takes). */
    private T poll(long nanos) throws IOException {
        long deadline = deadline(nanos);
        while (true) {
            long slice = slice(nanos, deadline);
            if (slice > 0) {
                checkInterrupt();
            }
            QueueCall<Object> request = slice == 0 ? IQueue::poll : q -> q.poll(slice, TimeUnit.NANOSECONDS);
            Object stored = call(request);
            if (stored != null) {
                return decode(items.open(stored));
            }
            if (timedOut(nanos, deadline)) {
                throw new QueueEmptyException();
            }
        }
    }

    private static long deadline(long nanos) {
        return nanos == FOREVER ? 0 : Durations.saturatedAdd(System.nanoTime(), nanos);
    }

    /** How long the next call waits: a slice, or what is left of the timeout if that is less. */
    private static long slice(long nanos, long deadline) {
        if (nanos == FOREVER) {
            return SLICE_NANOS;
        }
        return Math.min(SLICE_NANOS, Durations.nanosUntil(deadline, System.nanoTime()));
    }

    private static boolean timedOut(long nanos, long deadline) {
        return nanos != FOREVER && Durations.nanosUntil(deadline, System.nanoTime()) == 0;
    }

    private static void checkInterrupt() throws InterruptedIOException {
        if (Thread.interrupted()) {
            // as ipc's queues and the JDK's socket I/O do: the exception, and the status kept
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting on a queue");
        }
    }

    /** One request to the Hazelcast queue. */
    @FunctionalInterface
    private interface QueueCall<R> {
        R on(IQueue<Object> queue) throws InterruptedException;
    }

    /**
     * Runs {@code request} on a thread of its own and waits for its answer, whatever interrupts
     * this thread meanwhile (see the note at the top of the class); its failures become this
     * queue's.
     *
     * @throws IllegalStateException if this connection is closed
     * @throws IOException           if the cluster failed in the call
     * @throws SecurityException     if what the call took cannot be read (it is dropped)
     */
    private <R> R call(QueueCall<R> request) throws IOException {
        calls.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException(describe() + " is closed in this program");
            }
            CompletableFuture<R> answer = new CompletableFuture<>();
            Thread.ofVirtual().name("pyloom-cluster-queue-call").start(() -> {
                try {
                    answer.complete(request.on(queue));
                } catch (Throwable failure) {
                    answer.completeExceptionally(failure);
                }
            });
            try {
                return answer.join(); // waits uninterruptibly; an interrupt stays pending
            } catch (CompletionException failed) {
                throw failure(failed.getCause());
            }
        } finally {
            calls.readLock().unlock();
        }
    }

    private IOException failure(Throwable cause) {
        if (cause instanceof HazelcastSerializationException unreadable) {
            throw items.unreadable(unreadable);
        }
        if (cause instanceof HazelcastException || cause instanceof HazelcastClientNotActiveException
                || cause instanceof HazelcastClientOfflineException || cause instanceof HazelcastInstanceNotActiveException) {
            return new IOException(describe() + ": the call to the cluster failed (a put or get may have put its"
                    + " item, or taken and dropped it, or not): " + cause.getMessage(), cause);
        }
        if (cause instanceof RuntimeException unexpected) {
            throw unexpected;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        // an InterruptedException, which cannot come: nothing interrupts the call's thread
        return new IOException(describe() + ": " + cause, cause);
    }

    private byte[] encode(T item) {
        try {
            return Json.mapper().writeValueAsBytes(item);
        } catch (JacksonException e) {
            throw Json.encodingFailure(item, e);
        }
    }

    private T decode(byte[] json) throws IOException {
        try {
            return Json.mapper().readValue(json, type);
        } catch (JacksonException e) {
            throw Json.failure(e, "an item of " + describe() + " as a " + type.toCanonical() + " (the item is dropped)");
        }
    }

    /**
     * How a {@link ClusterQueue} is opened: the queue's name and type, and the cluster (its name,
     * a member or two, its key), given one by one, or those of this JVM's node with
     * {@link #thisNode()}.
     *
     * @param <T> the element type
     */
    public static final class Builder<T> {
        private final String name;
        private final JavaType type;
        private String cluster = Node.DEFAULT_CLUSTER;
        private final List<String> members = new ArrayList<>();
        private byte[] key;
        private int maxsize;
        private Duration patience = Duration.ofSeconds(30);

        private Builder(String name, JavaType type) {
            Objects.requireNonNull(name, "name");
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("a queue's name is 1 to 200 ASCII letters, digits, '.', '-' or '_',"
                        + " got \"" + name + "\"");
            }
            this.name = name;
            this.type = type;
        }

        /** The cluster's name, as its nodes were given it; {@code "pyloom"} if not set. */
        public Builder<T> cluster(String name) {
            this.cluster = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Where to find the cluster: {@code host:port} of one or more of its nodes. */
        public Builder<T> members(String... hostPorts) {
            for (String member : hostPorts) {
                members.add(Node.requireHostPort(member));
            }
            return this;
        }

        /** The cluster's key, the nodes' own: every item is signed with it. At least 16 bytes. */
        public Builder<T> authKey(byte[] key) {
            this.key = Objects.requireNonNull(key, "key").clone();
            return this;
        }

        /**
         * The cluster, member and key of this JVM's node, from the system properties a node gives
         * its workers: for a task that runs on a node's worker.
         *
         * @throws IllegalStateException if this JVM is not a node's worker
         * @throws UncheckedIOException  if the node's key file cannot be read
         */
        public Builder<T> thisNode() {
            String nodeCluster = System.getProperty(WorkerProperties.CLUSTER);
            String member = System.getProperty(WorkerProperties.MEMBER);
            String keyFile = System.getProperty(WorkerProperties.KEY_FILE);
            if (nodeCluster == null || member == null || keyFile == null) {
                throw new IllegalStateException("this JVM is not a node's worker (it has no system properties "
                        + WorkerProperties.CLUSTER + ", " + WorkerProperties.MEMBER + " and " + WorkerProperties.KEY_FILE
                        + "): outside a task on a node, open the queue with ClusterQueue.builder(name, type)"
                        + ".cluster(...).members(...).authKey(...).connect()");
            }
            try {
                this.key = Files.readAllBytes(Path.of(keyFile));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the cluster's key from the node's file " + keyFile + ": " + e, e);
            }
            this.cluster = nodeCluster;
            this.members.add(member);
            return this;
        }

        /**
         * The queue's bound: at most {@code maxsize} items; unbounded if {@code <= 0}, as when
         * not set. Every program that opens the queue gives the same (see the class's notes).
         */
        public Builder<T> maxsize(int maxsize) {
            this.maxsize = Math.max(0, maxsize);
            return this;
        }

        /**
         * How long {@link #connect()} tries to reach the cluster; 30 seconds if not set.
         *
         * @throws IllegalArgumentException if {@code patience} is negative
         */
        public Builder<T> connectTimeout(Duration patience) {
            Durations.timeoutNanos(patience, "patience");
            this.patience = patience;
            return this;
        }

        /**
         * Connects to the cluster and opens the queue (making it, if no one has yet).
         *
         * @throws IllegalStateException if no member or no key was given, the cluster cannot be
         *                               reached in time, or the queue has another maxsize
         */
        public ClusterQueue<T> connect() {
            if (members.isEmpty()) {
                throw new IllegalStateException("a ClusterQueue needs a member to connect to: members(\"host:port\")");
            }
            if (key == null) {
                throw new IllegalStateException("a ClusterQueue needs the cluster's key: authKey(bytes), the nodes' own");
            }
            Signer signer = new Signer(key);
            Arrays.fill(key, (byte) 0);
            key = null;
            String description = "queue \"" + name + "\" of cluster \"" + cluster + "\"";
            HazelcastInstance client;
            try {
                client = HazelcastClient.newHazelcastClient(clientConfig());
            } catch (IllegalStateException cannotConnect) {
                throw new IllegalStateException("cannot reach cluster \"" + cluster + "\" at " + members + " in "
                        + patience.toMillis() + " ms: is a node running there, with that cluster name?", cannotConnect);
            }
            try {
                // Sent to the members as dynamic configuration: the first connection's maxsize
                // is the queue's; the same again is accepted, another refused.
                client.getConfig().addQueueConfig(new QueueConfig(HAZELCAST_PREFIX + name).setMaxSize(maxsize));
            } catch (InvalidConfigurationException otherMaxsize) {
                client.shutdown();
                throw new IllegalStateException(description + " exists with a maxsize other than " + maxsize
                        + " (0: unbounded): every program that opens it must give the maxsize it was made with",
                        otherMaxsize);
            } catch (RuntimeException failed) {
                client.shutdown();
                throw new IllegalStateException("cannot open " + description + ": " + failed.getMessage(), failed);
            }
            ProgramEnd.watch(client); // a program that never closes its queue still exits
            return new ClusterQueue<>(name, cluster, type, maxsize, new SignedItems(signer, HAZELCAST_PREFIX + name,
                    description), client);
        }

        /**
         * pyloom's client settings, and two of the queue's own:
         * <ul>
         *   <li>A get or put whose node does not confirm in time that the backup has it too
         *       fails (an {@code IOException}) instead of returning: the backup may still hold
         *       the item taken, and would give it again if the node were lost. So no item is
         *       got twice; such a get's item is dropped.</li>
         *   <li>No Java deserialization, so that whatever a stranger writes into the queue, a get
         *       reads no gadget chain. Hazelcast's filter allows everything when its allow-list
         *       is empty and its defaults are off, so the list names one class that does not
         *       exist.</li>
         * </ul>
         */
        private ClientConfig clientConfig() {
            ClientConfig config = HazelcastSetup.client(cluster, members, patience);
            config.setProperty("hazelcast.client.operation.fail.on.indeterminate.state", "true");
            return config;
        }
    }
}

package dev.pyloom.cluster.internal;

import com.hazelcast.client.Client;
import com.hazelcast.client.ClientListener;
import com.hazelcast.core.HazelcastInstance;
import dev.pyloom.common.ServiceThreads;
import dev.pyloom.multiprocessing.Pool;
import dev.pyloom.multiprocessing.spi.PoolAccess;
import dev.pyloom.multiprocessing.spi.Relay;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What a node does with the calls that reach its member: each driver (a Hazelcast client) gets
 * a session for each time this node was admitted to its pool (an id {@code <client UUID>/<n>}),
 * a local {@link Pool} of the node's worker JVMs of its own, made at its first job;
 * a job is relayed, as frames, to that pool's workers, and its answer frame goes back as it is.
 * A session ends when its driver disconnects and does not come back (it exited, was killed, or
 * went silent for {@link HazelcastSetup#FAILURE_DETECTION}) or ends it (its pool ended, or it
 * gave this session up): its pool is terminated,
 * which kills its workers and fails what they ran.
 *
 * <p>Nothing runs unsigned: a job or command whose signature does not check with the node's
 * key is refused, and so is a job sent to another node or received before; the refusal is the
 * job's answer, signed like any other. A driver's challenge ({@link Calls.Hello}) is answered
 * with the node's name and workers, signed.
 *
 * <p>Thread-safe: Hazelcast's executor threads call it, one per job in flight.
 */
public final class NodeRuntime implements Calls.Receiver {

    private static final System.Logger LOG = System.getLogger("dev.pyloom.cluster");
    private static final PoolAccess POOLS = PoolAccess.get();

    /** Between a driver's client UUID and the number of its session with this node. */
    public static final String SESSION_SEPARATOR = "/";

    private final String name;
    private final int workers;
    private final Signer signer;
    private final List<String> jvmOptions; // the node's own options for its workers, and the cluster's properties
    private final List<Path> classPath; // null: the node's own

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Session> sessions = new HashMap<>(); // guarded by lock
    private final Set<String> ended = new HashSet<>();             // guarded by lock
    private boolean closed;                                        // guarded by lock
    private volatile boolean closing;                              // close() has begun
    private volatile HazelcastInstance member;                     // this node's member

    /** A job's answer frame, and the worker that wrote it (null: the pool, for a failure of its own). */
    private record Worked(byte[] frame, String worker) {}

    /**
     * A driver's pool on this node, its jobs running, by their number in the driver's pool, and
     * the numbers of every job it was sent (a job sent again is refused: a replay).
     */
    private record Session(String id, Pool pool, Map<Long, Relay> running, Received received) {}

    /**
     * The numbers of the jobs a session was sent, a bit each: a driver numbers its pool's jobs
     * from 1 up, so a million jobs take 125 KB. Thread-safe.
     */
    private static final class Received {
        private final BitSet numbers = new BitSet();

        /** Notes {@code id}; false if it was noted before, or is no number a driver gives. */
        synchronized boolean add(long id) {
            if (id < 0 || id > Integer.MAX_VALUE || numbers.get((int) id)) {
                return false;
            }
            numbers.set((int) id);
            return true;
        }
    }

    /**
     * A node {@code name} of {@code workers} workers per driver, checking signatures with
     * {@code signer}. Its workers are started with {@code jvmOptions} and the
     * {@link WorkerProperties} of {@code cluster}, whose {@code keyFile} holds the key.
     */
    public NodeRuntime(String name, int workers, Signer signer, List<String> jvmOptions, List<Path> classPath,
            String cluster, String address, Path keyFile) {
        this.name = name;
        this.workers = workers;
        this.signer = signer;
        List<String> options = new ArrayList<>(jvmOptions);
        options.addAll(WorkerProperties.options(name, cluster, address, keyFile));
        this.jvmOptions = List.copyOf(options);
        this.classPath = classPath == null ? null : List.copyOf(classPath);
    }

    /** Starts watching {@code member}'s clients: a driver that disconnects ends its session. */
    public void attach(HazelcastInstance member) {
        this.member = member;
        member.getClientService().addClientListener(new ClientListener() {
            @Override
            public void clientConnected(Client client) {}

            @Override
            public void clientDisconnected(Client client) {
                // A driver that reconnected at once keeps its sessions: it ends those it gave up itself.
                if (!connected(client.getUuid() + SESSION_SEPARATOR)) {
                    endAll(client.getUuid() + SESSION_SEPARATOR, "its driver disconnected");
                }
            }
        });
    }

    @Override
    public byte[] hello(Calls.Hello hello) {
        return hello.answer(signer, hello.receivedBy(), name, workers); // its member's, attached or not yet
    }

    @Override
    public byte[] run(Calls.Job job) throws InterruptedException {
        if (!job.signedBy(signer)) {
            LOG.log(System.Logger.Level.WARNING, "node " + name + " refused a job not signed with its key");
            return job.answer(signer, null, POOLS.failureFrame(job.id(), new SecurityException("node " + name + " refused " + job.label()
                    + ": it is not signed with the node's key (the driver's key differs from the node's, or the"
                    + " job was altered on the way). Give the driver and every node the same key.")));
        }
        if (!job.target().equals(job.receivedBy())) {
            return job.answer(signer, null, POOLS.failureFrame(job.id(), new SecurityException("node " + name
                    + " refused " + job.label() + ": it was sent to another node (a job copied on its way)")));
        }
        Session session;
        Relay relay;
        CompletableFuture<Worked> outcome = new CompletableFuture<>();
        try {
            session = session(job.session());
            if (!session.received().add(job.id())) {
                return job.answer(signer, null, POOLS.failureFrame(job.id(), new SecurityException("node " + name
                        + " refused " + job.label() + ": it has received it before (a job sent again)")));
            }
            Duration limit = job.timeLimitMillis() > 0 ? Duration.ofMillis(job.timeLimitMillis()) : null;
            relay = POOLS.relay(session.pool(), job.label(), job.task(), job.calls(), job.size(), limit,
                    (frame, worker) -> outcome.complete(new Worked(frame, worker)));
        } catch (IllegalStateException endedOrClosed) {
            return job.answer(signer, null, POOLS.failureFrame(job.id(), endedOrClosed));
        }
        session.running().put(job.id(), relay);
        try {
            Worked worked = outcome.get();
            if (closing) { // its worker was killed with the node: for the driver, the node is lost
                return job.lost(signer, "node " + name + " stopped while it ran " + job.label());
            }
            return job.answer(signer, worked.worker(), worked.frame());
        } catch (InterruptedException memberStopping) {
            relay.interrupt();
            throw memberStopping;
        } catch (ExecutionException impossible) { // only ever completed normally
            throw new IllegalStateException(impossible);
        } finally {
            session.running().remove(job.id(), relay);
        }
    }

    @Override
    public void control(Calls.Control control) {
        if (!control.signedBy(signer)) {
            LOG.log(System.Logger.Level.WARNING, "node " + name + " ignored a command not signed with its key");
            throw new SecurityException("node " + name + " ignored a command not signed with its key");
        }
        switch (control.command()) {
            case INTERRUPT -> {
                Session session;
                lock.lock();
                try {
                    session = sessions.get(control.session());
                } finally {
                    lock.unlock();
                }
                if (session != null) {
                    for (Map.Entry<Long, Relay> running : session.running().entrySet()) {
                        long id = running.getKey();
                        if (id >= control.firstId() && id < control.firstId() + control.count()) {
                            running.getValue().interrupt();
                        }
                    }
                }
            }
            case END -> endNow(control.session(), "its driver's pool ended");
        }
    }

    /** Whether the driver of the session {@code id} has a connection to this member now. */
    private boolean connected(String id) {
        int separator = id.indexOf(SESSION_SEPARATOR);
        if (separator < 0 || member == null) {
            return false;
        }
        String driver = id.substring(0, separator);
        return member.getClientService().getConnectedClients().stream()
                .anyMatch(client -> client.getUuid().toString().equals(driver));
    }

    /** The session of the driver {@code id}, made (with its pool) at its first job. */
    private Session session(String id) {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("node " + name + " is shutting down");
            }
            if (ended.contains(id)) {
                throw new IllegalStateException("node " + name + " has ended this driver's session (it"
                        + " disconnected, or terminated its pool): the job did not run");
            }
            Session session = sessions.get(id);
            if (session == null) {
                Pool.Builder pool = Pool.builder().processes(workers).jvmOptions(jvmOptions.toArray(String[]::new));
                if (classPath != null) {
                    pool.classPath(classPath);
                }
                session = new Session(id, pool.build(), new ConcurrentHashMap<>(), new Received());
                sessions.put(id, session);
                LOG.log(System.Logger.Level.INFO, "node " + name + ": driver " + id + " started " + workers + " workers");
            }
            return session;
        } finally {
            lock.unlock();
        }
    }

    /** Ends the session {@code id}, and returns once its workers have exited. */
    private void endNow(String id, String why) {
        Session session = remove(id);
        if (session != null) {
            LOG.log(System.Logger.Level.DEBUG, "node " + name + ": driver " + id + "'s session ended: " + why);
            terminate(session);
        }
    }

    private Session remove(String id) {
        lock.lock();
        try {
            ended.add(id);
            return sessions.remove(id);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the sessions whose ids begin with {@code prefix} (a driver's, whose ids are its client's
     * UUID, {@link #SESSION_SEPARATOR}, and a number): their pools are terminated, on a thread of
     * their own.
     */
    private void endAll(String prefix, String why) {
        List<Session> ending = new ArrayList<>();
        lock.lock();
        try {
            for (String id : List.copyOf(sessions.keySet())) {
                if (id.startsWith(prefix)) {
                    ended.add(id);
                    ending.add(sessions.remove(id));
                }
            }
        } finally {
            lock.unlock();
        }
        for (Session session : ending) {
            LOG.log(System.Logger.Level.INFO, "node " + name + ": driver session " + session.id() + " ended: " + why);
            ServiceThreads.daemon("pyloom-node-end-session").start(() -> terminate(session));
        }
    }

    /** The sessions open now: how many drivers have workers here. */
    public int sessions() {
        lock.lock();
        try {
            return sessions.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends every session and refuses new ones; waits until their workers are gone. The jobs
     * running then fail in their drivers as lost with the node, not as cancelled.
     */
    public void close() {
        List<Session> open;
        lock.lock();
        try {
            closed = true;
            closing = true;
            open = new ArrayList<>(sessions.values());
            sessions.clear();
        } finally {
            lock.unlock();
        }
        for (Session session : open) {
            terminate(session);
        }
    }

    private static void terminate(Session session) {
        try {
            session.pool().terminate();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

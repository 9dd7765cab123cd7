package dev.pyloom.cluster.internal;

import com.hazelcast.client.HazelcastClientNotActiveException;
import com.hazelcast.client.HazelcastClientOfflineException;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.ExecutionCallback;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import com.hazelcast.spi.exception.TargetNotMemberException;
import dev.pyloom.common.ServiceThreads;
import dev.pyloom.multiprocessing.spi.JobSource;
import dev.pyloom.multiprocessing.spi.RemoteJob;
import dev.pyloom.multiprocessing.spi.RemotePlaces;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;

/**
 * A pool's places on a cluster's nodes, from the driver's side: which nodes there are, how
 * many workers each has free, and the jobs in flight on each.
 *
 * <pre>
 *  pool's queue --take--> dispatcher --Job, submitToMember--> node (Hazelcast member)
 *                 (only when a node has a free worker)              |
 *  results &lt;-- deliverer &lt;-- events: answer, failure, node left, stop, end &lt;--+
 * </pre>
 *
 * <ul>
 *   <li><b>No stragglers.</b> The dispatcher takes a job from the pool's queue only when some
 *       node has a worker free, and gives it to the node with the most free: a node never has
 *       more jobs than workers, and a job waits in the driver's queue, where any node that
 *       frees up can take it.</li>
 *   <li><b>Nodes come and go.</b> A node that joins has room at once; a node that leaves
 *       (its member is dropped, or its connection fails) fails exactly the jobs it had, with a
 *       {@link dev.pyloom.cluster.NodeLostException}, and is never sent another. A job is sent
 *       once: never again elsewhere, so none runs twice.</li>
 *   <li><b>Nodes prove themselves.</b> A member that says it is a node (an attribute any member
 *       can set) takes work only once it signs a random challenge with the cluster's key
 *       ({@link Calls.Hello}); a node lost to a broken connection is asked again, and admitted
 *       in a new session, once it answers.</li>
 *   <li><b>One thread decides each outcome.</b> The deliverer takes every event in order and
 *       removes a job from its node's flight before it hands the job its outcome, so a job lost
 *       with its node and then answered late gets one outcome, the first.</li>
 * </ul>
 */
public final class ClusterPlaces implements RemotePlaces, MembershipListener {

    private static final System.Logger LOG = System.getLogger("dev.pyloom.cluster");

    private static final AtomicInteger NUMBER = new AtomicInteger();

    /** How often a pool with no free worker asks the members that say they are nodes, and do not take work, again. */
    static final Duration RESCAN = Duration.ofSeconds(2);

    /** How long a pool's end waits for the nodes to stop its workers. */
    static final Duration END_PATIENCE = Duration.ofSeconds(30);

    private final String pool;
    private final HazelcastInstance client;
    private final IExecutorService executor;
    private final IExecutorService control;
    private final Signer signer;
    private final String driver;                       // the client's UUID: the sessions' prefix
    private final AtomicInteger sessions = new AtomicInteger();
    private final SecureRandom random = new SecureRandom();
    private final BiFunction<String, Throwable, RuntimeException> nodeLost;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    private final Map<UUID, Node> nodes = new LinkedHashMap<>(); // the nodes that take work; guarded by lock
    private final Set<UUID> greeting = new HashSet<>();          // members being asked to prove they are nodes; guarded by lock
    private final Map<UUID, Node> given = new HashMap<>();       // each member's last admission, lost or not; guarded by lock
    private final Set<UUID> unproven = new HashSet<>();          // members that answered the challenge without the key; guarded by lock
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private int flying;  // jobs in flight on all nodes, those that left included; guarded by lock
    private volatile boolean stopping;
    private boolean drained;                  // the queue takes no more and has none left; guarded by lock
    private volatile boolean closingClient;   // the deliverer shuts the client down, at the end
    private volatile String clusterLost;      // why no node can be reached any more, or null
    private JobSource jobs;

    /**
     * A node as the driver sees it: its member, its workers, this pool's session with it, and
     * the jobs it runs for this pool. A node admitted again (after its connection broke) is a new
     * {@code Node}, with a session of its own.
     */
    private static final class Node {
        final Member member;
        final String name;
        final int workers;
        final String session;
        final Map<Long, RemoteJob> inFlight = new LinkedHashMap<>(); // guarded by the places' lock

        Node(Member member, String name, int workers, String session) {
            this.member = member;
            this.name = name;
            this.workers = workers;
            this.session = session;
        }

        int free() {
            return workers - inFlight.size();
        }

        String where() {
            return "node " + name + " (" + member.getAddress().getHost() + ":" + member.getAddress().getPort() + ")";
        }
    }

    private sealed interface Event {}

    private record Answer(Node node, RemoteJob job, Calls.Job call, byte[] answer) implements Event {}

    private record Failure(Node node, RemoteJob job, Throwable cause) implements Event {}

    private record NodeLeft(Node node) implements Event {}

    private record Stop() implements Event {}

    private record End() implements Event {}

    /**
     * The places of the pool {@code pool}, sending through {@code client} and signing with
     * {@code signer}; {@code nodeLost} makes the exception for a job whose node was lost, from
     * the node's description and the cause.
     */
    public ClusterPlaces(String pool, HazelcastInstance client, Signer signer,
            BiFunction<String, Throwable, RuntimeException> nodeLost) {
        this.pool = pool + "-" + NUMBER.incrementAndGet();
        this.client = client;
        this.executor = client.getExecutorService(HazelcastSetup.EXECUTOR);
        this.control = client.getExecutorService(HazelcastSetup.CONTROL);
        this.signer = signer;
        this.driver = client.getLocalEndpoint().getUuid().toString();
        this.nodeLost = nodeLost;
        client.getCluster().addMembershipListener(this);
        client.getLifecycleService().addLifecycleListener(event -> {
            if (event.getState() == LifecycleEvent.LifecycleState.CLIENT_CONNECTED) {
                rescan(); // back after its connections broke: the nodes it lost on the way, if they answer
            } else if (event.getState() == LifecycleEvent.LifecycleState.SHUTTING_DOWN && !closingClient) {
                lostCluster("the pool lost its cluster: its client gave up reconnecting to any node (the cluster's"
                        + " connect timeout, ClusterPool.Builder.awaitNodes, ran out) or was shut down");
            }
        });
        for (Member member : client.getCluster().getMembers()) {
            joined(member);
        }
    }

    /** Waits until a node joins or a worker frees up, at most {@code timeout}. */
    public void awaitNodeChange(Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            room.awaitNanos(timeout.toNanos());
        } finally {
            lock.unlock();
        }
    }

    /** How many members said they were nodes but answered the challenge without this pool's key. */
    public int unproven() {
        lock.lock();
        try {
            return unproven.size();
        } finally {
            lock.unlock();
        }
    }

    /** How many nodes take work now. */
    public int nodes() {
        lock.lock();
        try {
            return nodes.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void start(JobSource jobs) {
        this.jobs = jobs;
        ServiceThreads.daemon(pool + "-dispatcher").start(this::dispatch);
        ServiceThreads.daemon(pool + "-deliverer").start(this::deliver);
    }

    @Override
    public int capacity() {
        lock.lock();
        try {
            return nodes.values().stream().mapToInt(node -> node.workers).sum();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void interrupt(long firstId, int count) {
        List<Node> holding = new ArrayList<>();
        lock.lock();
        try {
            for (Node node : nodes.values()) {
                if (node.inFlight.keySet().stream().anyMatch(id -> id >= firstId && id < firstId + count)) {
                    holding.add(node);
                }
            }
        } finally {
            lock.unlock();
        }
        for (Node node : holding) {
            tell(node, Calls.Command.INTERRUPT, firstId, count);
        }
    }

    @Override
    public void stopNow() {
        if (stopping) {
            return;
        }
        stopping = true;
        List<Node> ending;
        lock.lock();
        try {
            ending = List.copyOf(nodes.values());
            room.signalAll();
        } finally {
            lock.unlock();
        }
        for (Node node : ending) {
            tell(node, Calls.Command.END, 0, 0); // the node kills this pool's workers there
        }
        events.add(new Stop());
    }

    private Future<Boolean> tell(Node node, Calls.Command command, long firstId, int count) {
        try {
            return control.submitToMember(new Calls.Control(signer, node.session, command, firstId, count), node.member);
        } catch (RuntimeException gone) { // the client is shutting down, or the member left: nothing to tell
            LOG.log(System.Logger.Level.DEBUG, () -> pool + " could not tell " + node.where() + " to " + command + ": "
                    + gone);
            return null;
        }
    }

    private void lostCluster(String why) {
        lock.lock();
        try {
            clusterLost = why;
            room.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ membership

    @Override
    public void memberAdded(MembershipEvent event) {
        joined(event.getMember());
    }

    @Override
    public void memberRemoved(MembershipEvent event) {
        Node left;
        lock.lock();
        try {
            left = nodes.remove(event.getMember().getUuid()); // no job goes there from now on
        } finally {
            lock.unlock();
        }
        if (left != null) {
            events.add(new NodeLeft(left));
        }
    }

    /**
     * A member that says it is a node (its {@code pyloom.workers} attribute, which any member can
     * set) is asked to prove it holds the key ({@link Calls.Hello}); it takes work once its
     * signed answer checks, with the name and workers it signed, and a session of its own.
     */
    private void joined(Member member) {
        if (member.getAttribute(HazelcastSetup.WORKERS) == null) {
            return; // a member that is not a pyloom node
        }
        lock.lock();
        try {
            if (nodes.containsKey(member.getUuid()) || !greeting.add(member.getUuid())) {
                return;
            }
        } finally {
            lock.unlock();
        }
        byte[] challenge = new byte[32];
        random.nextBytes(challenge);
        Calls.Hello hello = new Calls.Hello(challenge, member.getUuid().toString());
        try {
            control.submitToMember(hello, member, new ExecutionCallback<byte[]>() {
                @Override
                public void onResponse(byte[] answer) {
                    Calls.Hello.Node proven = hello.read(signer, answer);
                    if (proven == null) {
                        LOG.log(System.Logger.Level.WARNING, pool + ": member " + member.getAddress() + " says it is a"
                                + " pyloom node but cannot prove it holds the cluster's key; it is sent nothing");
                        lock.lock();
                        try {
                            unproven.add(member.getUuid());
                        } finally {
                            lock.unlock();
                        }
                        greeted(member, null);
                    } else {
                        greeted(member, new Node(member, proven.name(), proven.workers(),
                                driver + NodeRuntime.SESSION_SEPARATOR + sessions.incrementAndGet()));
                    }
                }

                @Override
                public void onFailure(Throwable cause) {
                    LOG.log(System.Logger.Level.DEBUG, () -> pool + ": member " + member.getAddress()
                            + " did not answer as a node: " + cause);
                    greeted(member, null);
                }
            });
        } catch (RuntimeException cannotAsk) { // the client is shutting down, or the member left
            greeted(member, null);
        }
    }

    /**
     * The member's answer is in: {@code node}, which takes work from now on, or null. A node
     * admitted again is told to end the session this pool gave up with it, whose jobs failed as
     * lost: its workers there may still run them.
     */
    private void greeted(Member member, Node node) {
        Node before = null;
        lock.lock();
        try {
            greeting.remove(member.getUuid());
            if (node != null && !stopping && client.getCluster().getMembers().contains(member)
                    && nodes.putIfAbsent(member.getUuid(), node) == null) {
                before = given.put(member.getUuid(), node);
                room.signalAll();
            }
        } finally {
            lock.unlock();
        }
        if (before != null) {
            tell(before, Calls.Command.END, 0, 0);
        }
    }

    /**
     * Asks the members that say they are nodes, and do not take work, to prove it again: nodes
     * this pool lost because their connection broke (a pause, a network cut), once they answer.
     * Only a node that answers is admitted, so one that is really gone loses no job.
     */
    private void rescan() {
        if (stopping || closingClient) {
            return;
        }
        try {
            for (Member member : client.getCluster().getMembers()) {
                joined(member);
            }
        } catch (RuntimeException clientDown) {
            LOG.log(System.Logger.Level.DEBUG, () -> pool + " could not list the cluster's members: " + clientDown);
        }
    }

    // ------------------------------------------------------------------ the dispatcher

    /**
     * Waits until a node has a free worker, then takes the next job and sends it there; ends
     * when the queue does. Jobs wait in the pool's queue, not here, so that {@code cancel(false)}
     * can still withdraw one no worker has; a queue that ends while no node has room wakes the
     * wait ({@link JobSource#whenDrained}).
     */
    private void dispatch() {
        jobs.whenDrained(this::wake);
        try {
            for (;;) {
                awaitRoom();
                RemoteJob job = jobs.take();
                if (job == null) {
                    return;
                }
                if (!job.cancelled()) {
                    send(job);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            events.add(new End());
        }
    }

    private void wake() {
        lock.lock();
        try {
            drained = true;
            room.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until a node has a free worker, the queue has nothing more, the pool stops or the
     * cluster is lost. Every {@link #RESCAN} without room, the members that say they are nodes
     * and do not take work are asked again ({@link #rescan()}).
     */
    private void awaitRoom() throws InterruptedException {
        for (;;) {
            lock.lock();
            try {
                if (mayGoOn()) {
                    return;
                }
                room.await(RESCAN.toNanos(), TimeUnit.NANOSECONDS);
                if (mayGoOn()) {
                    return;
                }
            } finally {
                lock.unlock();
            }
            rescan();
        }
    }

    /** Whether the dispatcher need not wait: a node has a free worker, or there is nothing to wait for. Lock held. */
    private boolean mayGoOn() {
        return stopping || drained || clusterLost != null || nodes.values().stream().anyMatch(node -> node.free() > 0);
    }

    private void send(RemoteJob job) throws InterruptedException {
        byte[] calls;
        try {
            calls = job.calls();
        } catch (IllegalArgumentException failed) { // an argument cannot be encoded: the job has failed already
            return;
        } catch (Throwable failed) { // an argument's own code threw (an Error too): this job's alone
            job.failed(failed);
            return;
        }
        long limit = job.timeLimit() == null ? 0 : Math.max(1, job.timeLimit().toMillis());
        Node target = reserve(job);
        if (target == null && stopping) {
            job.abandon(); // the pool was terminated while the job waited for a node
            return;
        }
        if (target == null) {
            job.failed(new IllegalStateException(clusterLost + "; " + job + " did not run"));
            return;
        }
        Calls.Job call = new Calls.Job(signer, target.member.getUuid().toString(), target.session, job.id(),
                job.toString(), job.task(), calls, job.size(), limit);
        job.started(target.where());
        try {
            executor.submitToMember(call, target.member, new ExecutionCallback<byte[]>() {
                @Override
                public void onResponse(byte[] answer) {
                    events.add(new Answer(target, job, call, answer));
                }

                @Override
                public void onFailure(Throwable cause) {
                    events.add(new Failure(target, job, cause));
                }
            });
        } catch (RuntimeException cannotSend) {
            events.add(new Failure(target, job, cannotSend));
        }
    }

    /**
     * Puts {@code job} in flight on the node with the most free workers, waiting for one if the
     * node that had room left after {@link #awaitRoom()} (rare: the job then waits here, past
     * the reach of {@code cancel(false)}); null if the pool is terminated meanwhile, or the
     * cluster lost.
     */
    private Node reserve(RemoteJob job) throws InterruptedException {
        lock.lock();
        try {
            Node target = mostFree();
            while (target == null && !stopping && clusterLost == null) {
                room.await();
                target = mostFree();
            }
            if (target == null || stopping || clusterLost != null) {
                return null;
            }
            target.inFlight.put(job.id(), job);
            flying++;
            return target;
        } finally {
            lock.unlock();
        }
    }

    /** The node with the most free workers, or null if none has one. Lock held. */
    private Node mostFree() {
        Node best = null;
        for (Node node : nodes.values()) {
            if (node.free() > 0 && (best == null || node.free() > best.free())) {
                best = node;
            }
        }
        return best;
    }

    // ------------------------------------------------------------------ the deliverer

    /** Hands every job its outcome, in the order they happen; ends when the queue has and nothing is in flight. */
    private void deliver() {
        jobs.deliversHere();
        boolean ended = false;
        try {
            while (!ended || inFlight() > 0) {
                Event event = events.take();
                switch (event) {
                    case Answer answer -> {
                        Calls.Answer said = answer.call().read(signer, answer.answer());
                        if (said == null) {
                            forged(answer.node());
                        } else if (said.lost()) {
                            lose(answer.node(), new IllegalStateException(said.worker()));
                        } else if (land(answer.node(), answer.job())) {
                            answer.job().answered(said.frame(), said.worker() == null ? answer.node().where()
                                    : said.worker() + " on " + answer.node().where());
                        }
                    }
                    case Failure failure -> {
                        if (stopping) {
                            if (land(failure.node(), failure.job())) {
                                failure.job().failed(cancelled(failure.cause()));
                            }
                        } else if (isNodeLoss(failure.cause())) {
                            lose(failure.node(), failure.cause());
                        } else if (land(failure.node(), failure.job())) {
                            failure.job().failed(new IllegalStateException(failure.node().where() + " could not run "
                                    + failure.job() + ": " + failure.cause(), failure.cause()));
                        }
                    }
                    case NodeLeft left -> lose(left.node(), null);
                    case Stop stop -> {
                        for (RemoteJob job : drainAll()) {
                            job.abandon();
                        }
                    }
                    case End end -> ended = true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            for (RemoteJob job : drainAll()) {
                job.abandon();
            }
        } catch (RuntimeException | Error bug) {
            LOG.log(System.Logger.Level.ERROR, pool + "'s deliverer failed; its jobs in flight are lost", bug);
            for (RemoteJob job : drainAll()) {
                job.failed(bug);
            }
        } finally {
            endSessions();
            shutDownClient();
            jobs.finished();
        }
    }

    /**
     * Tells every node to end this pool's session and waits (at most {@link #END_PATIENCE}) until
     * each has: its workers there have exited, so {@code close()} and {@code join()} return
     * with the pool's workers gone everywhere, as a local pool's do.
     */
    private void endSessions() {
        List<Node> ending;
        lock.lock();
        try {
            ending = List.copyOf(nodes.values());
        } finally {
            lock.unlock();
        }
        List<Future<Boolean>> ended = new ArrayList<>();
        for (Node node : ending) {
            Future<Boolean> end = tell(node, Calls.Command.END, 0, 0);
            if (end != null) {
                ended.add(end);
            }
        }
        long deadline = System.nanoTime() + END_PATIENCE.toNanos();
        for (Future<Boolean> end : ended) {
            try {
                end.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException | RuntimeException gone) {
                LOG.log(System.Logger.Level.DEBUG, () -> pool + ": a node did not confirm the end of its session: " + gone);
            }
        }
    }

    /**
     * {@code node} is lost: it takes no more jobs, and every job it had fails with a
     * {@link dev.pyloom.cluster.NodeLostException}. The first sign decides, whichever it is (the
     * member dropped from the cluster, or a call whose connection failed): a killed node's
     * workers free no slot by answering, so no job is sent there after its first failure.
     */
    private void lose(Node node, Throwable cause) {
        lock.lock();
        try {
            nodes.remove(node.member.getUuid(), node);
        } finally {
            lock.unlock();
        }
        for (RemoteJob job : drain(node)) {
            job.failed(nodeLost.apply(node.where(), cause));
        }
    }

    /**
     * {@code node} answered without the cluster's key: it is not one of the cluster's nodes
     * (a member that calls itself one), or not of this key. It is sent nothing more, and the
     * jobs it had fail with a {@link SecurityException}.
     */
    private void forged(Node node) {
        LOG.log(System.Logger.Level.WARNING, pool + ": " + node.where() + " answered without the cluster's key;"
                + " it is sent nothing more");
        lock.lock();
        try {
            nodes.remove(node.member.getUuid(), node);
        } finally {
            lock.unlock();
        }
        for (RemoteJob job : drain(node)) {
            job.failed(new SecurityException(node.where() + " answered " + job + " without this pool's key, and its"
                    + " answer was not trusted: it is not a node of this cluster, or the pool and the node have"
                    + " different keys (give both the same). The task may or may not have run there."));
        }
    }

    /** Whether {@code cause} says the node or the connection to it is gone, rather than something about one job. */
    private static boolean isNodeLoss(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof TargetDisconnectedException || t instanceof TargetNotMemberException
                    || t instanceof MemberLeftException || t instanceof HazelcastInstanceNotActiveException
                    || t instanceof HazelcastClientNotActiveException || t instanceof HazelcastClientOfflineException
                    || t instanceof IOException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static RuntimeException cancelled(Throwable cause) {
        CancellationException cancelled = new CancellationException("the pool was terminated before this task finished");
        cancelled.initCause(cause);
        return cancelled;
    }

    /** Removes {@code job} from its node's flight; whether it was there (its outcome is still to be given). */
    private boolean land(Node node, RemoteJob job) {
        lock.lock();
        try {
            if (node.inFlight.remove(job.id(), job)) {
                flying--;
                room.signalAll();
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    private List<RemoteJob> drain(Node node) {
        lock.lock();
        try {
            List<RemoteJob> lost = new ArrayList<>(node.inFlight.values());
            node.inFlight.clear();
            flying -= lost.size();
            room.signalAll();
            return lost;
        } finally {
            lock.unlock();
        }
    }

    private List<RemoteJob> drainAll() {
        lock.lock();
        try {
            List<RemoteJob> all = new ArrayList<>();
            for (Node node : nodes.values()) {
                all.addAll(node.inFlight.values());
                node.inFlight.clear();
            }
            flying -= all.size();
            room.signalAll();
            return all;
        } finally {
            lock.unlock();
        }
    }

    private int inFlight() {
        lock.lock();
        try {
            return flying;
        } finally {
            lock.unlock();
        }
    }

    private void shutDownClient() {
        closingClient = true;
        ProgramEnd.forget(client);
        try {
            client.shutdown();
        } catch (RuntimeException already) {
            LOG.log(System.Logger.Level.DEBUG, () -> pool + "'s client did not shut down cleanly: " + already);
        }
    }
}

package dev.pyloom.multiprocessing;

import dev.pyloom.multiprocessing.internal.ChildClasspath;
import dev.pyloom.multiprocessing.internal.ErrorStream;
import dev.pyloom.multiprocessing.internal.JvmLauncher;
import dev.pyloom.multiprocessing.internal.Protocol;
import dev.pyloom.multiprocessing.internal.TaskRef;
import dev.pyloom.multiprocessing.internal.Wire;
import dev.pyloom.multiprocessing.spi.Relay;
import dev.pyloom.multiprocessing.spi.RemotePlaces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * The running part of a {@link Pool}: its places ({@link PoolWorker}, one thread per worker JVM)
 * and everything they share. A {@link Pool} is the API in front of it; its {@link Submitter}
 * puts jobs into {@link #tasks()}; the places take them out, and call back here as they go:
 *
 * <ul>
 *   <li><b>what every worker is started with</b>: the listener it connects to, the
 *       initializer, the JVM options and class path;</li>
 *   <li><b>starting workers</b>: the launch turns ({@link #launchTurn()}), whether the
 *       class-data archive is still worth trying, the worker JVMs alive (which
 *       {@link #stopNow()} kills), and how many in a row could not start, which breaks the
 *       pool;</li>
 *   <li><b>the places' bookkeeping</b>: how many are busy (which decides when a place sends
 *       jobs ahead) and how many still run (the last one to end closes the door);</li>
 *   <li><b>outcomes</b>: a worker's answer decoded and handed to its job ({@link #deliver}),
 *       a job the pool will not run failed ({@link #abandon}).</li>
 * </ul>
 *
 * <p>A pool whose workers are elsewhere (pyloom-cluster's) has one place, a {@link RemotePlace},
 * in front of the {@link RemotePlaces} it was made with, and none of the above about starting
 * workers.
 *
 * <p>Thread-safe: the places, the pool's callers and its feeders all call it.
 */
final class PoolRuntime {

    /** Workers in a row that fail to start before the pool gives up (and fails its queue). */
    static final int MAX_START_FAILURES = 3;

    /** How long a worker's start waits for its turn before it goes ahead anyway: see {@link #launchTurn()}. */
    static final Duration LAUNCH_WAIT = Duration.ofSeconds(1);

    /** Workers in a row killed by a signal while starting before one counts as failing to start. */
    static final int MAX_STARTS_KILLED = 10;

    private static final System.Logger LOG = System.getLogger("dev.pyloom.multiprocessing");

    /** Pools whose workers have not all ended: terminated when the JVM exits, as Python's are. */
    private static final Set<PoolRuntime> LIVE = ConcurrentHashMap.newKeySet();

    private final String name;
    private final int processes;

    private final int maxTasksPerChild;
    private final Duration interruptGrace;
    private final TaskRef initializer;
    private final List<JsonNode> initArgs;
    private final List<String> jvmOptions;
    private final ChildClasspath classes;

    private final TaskQueue tasks = new TaskQueue();
    private final WorkerListener listener;   // null for remote places
    private final RemotePlaces remote;       // null for local ones
    private final ResultHandler results;
    /** Worker JVMs started and not yet gone (exited, their standard error read to its end). */
    private final Map<Process, ErrorStream> workers = new ConcurrentHashMap<>();
    private final AtomicBoolean archiveFailed = new AtomicBoolean();
    private final Semaphore launches = new Semaphore(
            Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
    private final List<PoolWorker> places = new ArrayList<>();
    private final AtomicInteger placesRunning = new AtomicInteger();
    private final AtomicInteger placesBusy = new AtomicInteger();
    private final AtomicInteger startFailures = new AtomicInteger();
    private final AtomicInteger startsKilled = new AtomicInteger();

    /** Opens the listener and the result handler, and starts the {@code processes} places. */
    PoolRuntime(String name, int processes, int maxTasksPerChild, Duration interruptGrace, TaskRef initializer,
            List<JsonNode> initArgs, List<String> jvmOptions, ChildClasspath classes) {
        this.name = name;
        this.processes = processes;
        this.maxTasksPerChild = maxTasksPerChild;
        this.interruptGrace = interruptGrace;
        this.initializer = initializer;
        this.initArgs = initArgs;
        this.jvmOptions = jvmOptions;
        this.classes = classes;
        this.remote = null;
        try {
            this.listener = new WorkerListener(name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the pool's listening socket: " + e.getMessage(), e);
        }
        this.results = new ResultHandler(name);
        LIVE.add(this);
        placesRunning.set(processes);
        for (int i = 0; i < processes; i++) {
            places.add(new PoolWorker(this, i + 1));
        }
    }

    /**
     * A runtime whose one place is {@code remote}: the jobs run wherever it sends them. It is
     * started before this returns.
     */
    PoolRuntime(String name, RemotePlaces remote) {
        this.name = name;
        this.processes = 0;
        this.maxTasksPerChild = 0;
        this.interruptGrace = null;
        this.initializer = null;
        this.initArgs = List.of();
        this.jvmOptions = List.of();
        this.classes = null;
        this.listener = null;
        this.remote = remote;
        this.results = new ResultHandler(name);
        LIVE.add(this);
        placesRunning.set(1);
        remote.start(new RemotePlace(this));
    }

    /** Terminates every pool still running: at exit, as Python does. */
    static void stopLive() {
        LIVE.forEach(PoolRuntime::stopNow);
    }

    // ------------------------------------------------------------------ what places and workers are given

    /** The pool's name, for its threads and messages. */
    String name() {
        return name;
    }

    /** The number of places, one worker each; for remote places, how many jobs they run at once now. */
    int processes() {
        return remote == null ? processes : Math.max(1, remote.capacity());
    }

    TaskQueue tasks() {
        return tasks;
    }

    /** Where results are completed and callbacks run. */
    ResultHandler results() {
        return results;
    }

    /** Where workers connect once they have started: a place expects each of its workers' hello there. */
    WorkerListener listener() {
        return listener;
    }

    /** How long a task interrupted by cancel(true) or its time limit may go on before its worker is killed. */
    Duration interruptGrace() {
        return interruptGrace;
    }

    int maxTasksPerChild() {
        return maxTasksPerChild;
    }

    TaskRef initializer() {
        return initializer;
    }

    /** What the workers load; null if they are elsewhere. */
    ChildClasspath classes() {
        return classes;
    }

    // ------------------------------------------------------------------ starting workers

    /**
     * Starts the JVM of the worker {@code worker}, which says hello on the {@link #listener()}
     * with {@code hello}'s token, with the class-data archive if {@code archive}; it runs the
     * pool's initializer before it connects. Returns once the JVM is started.
     */
    JvmLauncher.Started launch(String worker, WorkerListener.Expected hello, boolean archive) throws IOException {
        return JvmLauncher.start(new Protocol.Bootstrap("pool", worker, true, listener.address(),
                listener.key(), hello.token, initializer, initArgs, null, null), jvmOptions, classes, archive);
    }

    /**
     * Waits for a turn to start a worker JVM: one processor is left to this program (which
     * encodes the work and compiles its own code meanwhile), and at most one worker per other
     * processor starts at a time. The first workers are then ready, and take work, in the time
     * one start takes, instead of all of them sharing the processors and being ready together,
     * late; and work that the first workers finish is not slowed down by the start of workers
     * that will only be stopped. A worker connects once it has run its initializer, which may
     * take any time, so a pool with an initializer starts every worker at once, as Python's
     * does. The wait is bounded: a start that has waited {@link #LAUNCH_WAIT} goes ahead without
     * a turn (a start that takes that long is not held up by the JVMs already starting). Returns
     * whether a turn was taken (to be given back by {@link #launched()}).
     */
    boolean launchTurn() throws InterruptedException {
        return initializer == null && launches.tryAcquire(LAUNCH_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A worker that took a turn to start has connected, or failed to. */
    void launched() {
        launches.release();
    }

    /** Whether workers may start with the class-data archive: until one that did failed to start. */
    boolean mayUseArchive() {
        return !archiveFailed.get();
    }

    /** A worker that started with the class-data archive failed to start: the others start without. */
    void archiveFailed() {
        archiveFailed.set(true);
    }

    /** A worker JVM was started: terminate() kills it, join() waits for it (and for the last of its standard error). */
    void track(Process process, ErrorStream errors) {
        workers.put(process, errors);
        process.onExit().thenCombine(errors.ended(), (exited, ended) -> workers.remove(process));
        if (tasks.isTerminated()) {
            process.destroyForcibly(); // terminate() may have swept the others already
        }
    }

    /** A worker started and said hello. */
    void workerStarted() {
        startFailures.set(0);
        startsKilled.set(0);
    }

    /**
     * A worker was killed by a signal before it connected (the OOM killer, an operator): its job
     * never started and goes back to the queue, for the next worker. Only after
     * {@link #MAX_STARTS_KILLED} in a row is it counted as a worker that could not start.
     */
    void workerKilledWhileStarting(PendingJob job, Exception cause) {
        if (startsKilled.incrementAndGet() < MAX_STARTS_KILLED) {
            for (PendingJob abandoned : tasks.putBack(List.of(job))) {
                abandon(abandoned);
            }
        } else {
            workerFailedToStart(job, cause);
        }
    }

    /**
     * A worker could not start: the job it was for fails; after {@link #MAX_START_FAILURES} in a
     * row, so does the pool, with everything queued.
     */
    void workerFailedToStart(PendingJob job, Exception cause) {
        IllegalStateException failure = new IllegalStateException("a pool worker could not start: " + cause.getMessage(), cause);
        job.failed(failure);
        if (startFailures.incrementAndGet() >= MAX_START_FAILURES) {
            TaskQueue.Ended ended = tasks.breakDown(MAX_START_FAILURES + " workers in a row could not start: "
                    + cause.getMessage());
            for (PendingJob queued : ended.jobs()) {
                queued.failed(failure);
            }
            for (Feeder feeder : ended.feeders()) {
                feeder.stop(failure);
            }
        }
    }

    // ------------------------------------------------------------------ the places' bookkeeping

    /** A place's thread begins: results are completed on it. */
    void placeStarted() {
        results.registerPlace();
    }

    /** A place has work in flight (true), or no longer has (false). */
    void placeBusy(boolean busy) {
        placesBusy.addAndGet(busy ? 1 : -1);
    }

    /** How many places have nothing in flight: waiting for work, or starting their worker. */
    int idlePlaces() {
        return processes - placesBusy.get();
    }

    /**
     * A place failed for a reason nothing foresaw (a bug of pyloom's): the pool breaks, as when
     * workers cannot start, rather than go on a place short, or open with none. {@code delivering}
     * (the job whose outcome was being handed over, if any), the jobs in flight, everything
     * queued and the open imaps fail with an {@link IllegalStateException} whose cause is
     * {@code bug}; later submissions are refused with it.
     */
    void placeFailed(PendingJob delivering, Collection<PendingJob> inFlight, Throwable bug) {
        IllegalStateException failure = new IllegalStateException("a pool worker's place failed, and the pool"
                + " with it: " + bug, bug);
        TaskQueue.Ended ended = tasks.breakDown("a worker's place failed: " + bug);
        List<PendingJob> lost = new ArrayList<>();
        if (delivering != null) {
            lost.add(delivering);
        }
        lost.addAll(inFlight);
        lost.addAll(ended.jobs());
        for (PendingJob job : lost) {
            try {
                job.failed(failure);
            } catch (Throwable again) { // the sink that failed may fail again: the others still hear
                failure.addSuppressed(again);
            }
        }
        for (Feeder feeder : ended.feeders()) {
            feeder.stop(failure);
        }
    }

    /**
     * A place's thread is ending. The last one closes the door behind it: what is still queued
     * (only if every place failed) fails, the listener closes, and the result handler finishes
     * the deliveries posted so far and ends. So a pool that is only closed, never joined, still
     * releases everything once its work is done.
     */
    void placeFinished() {
        if (placesRunning.decrementAndGet() > 0) {
            return;
        }
        TaskQueue.Ended stranded = tasks.strand();
        for (PendingJob job : stranded.jobs()) {
            job.failed(new IllegalStateException("the pool stopped before this task ran"));
        }
        for (Feeder feeder : stranded.feeders()) {
            feeder.stop(new IllegalStateException("the pool stopped before it read the rest of the items"));
        }
        if (listener != null) {
            listener.close();
        }
        results.stop();
        LIVE.remove(this);
        LOG.log(System.Logger.Level.DEBUG, () -> name + (tasks.isTerminated() ? " terminated" : " closed")
                + ": every worker has exited");
    }

    // ------------------------------------------------------------------ outcomes

    /** A worker's answer to {@code job}, decoded on the place's thread and handed to its sink. */
    void deliver(PendingJob job, byte[] frame, String where) {
        if (job.sink() instanceof Relayed relayed) {
            relayed.answered(frame, where); // it goes back to the machine it came from as it is
            return;
        }
        deliver(job, frame, where, true);
    }

    /**
     * {@link #deliver(PendingJob, byte[], String)} of an answer that may carry another number
     * than the job's ({@code checkId} false): one relayed through another machine's pool.
     */
    void deliver(PendingJob job, byte[] frame, String where, boolean checkId) {
        Wire.Outcome outcome;
        try {
            outcome = Wire.readOutcome(frame, job.submission().results());
        } catch (Throwable cannotRead) { // an Error too (a result's constructor may throw one): it is this job's alone
            job.failed(cannotRead);
            return;
        }
        if (checkId && outcome.id() != job.id()) {
            job.failed(new IllegalStateException(where + " answered job " + outcome.id() + " for job " + job.id()));
        } else if (outcome.failure() != null) {
            job.failed(RemoteFailures.toException(outcome.failure(), where));
        } else if (outcome.results().size() != job.size()) {
            job.failed(new IllegalStateException(where + " returned " + outcome.results().size()
                    + " results for " + job.size() + " calls"));
        } else {
            job.succeeded(outcome.results());
        }
    }

    /** A job that will never run because the pool was terminated. */
    void abandon(PendingJob job) {
        job.failed(new CancellationException("the pool was terminated before this task finished"));
    }

    /**
     * Interrupts the jobs with ids {@code firstId} to {@code firstId + count - 1} wherever they
     * are in flight: see {@link PoolWorker#interrupt(long, int)}.
     */
    void interrupt(long firstId, int count) {
        for (PoolWorker place : places) {
            place.interrupt(firstId, count);
        }
        if (remote != null) {
            remote.interrupt(firstId, count);
        }
    }

    /**
     * Queues a job that arrived as frames from another machine: see
     * {@link dev.pyloom.multiprocessing.spi.PoolAccess#relay}.
     */
    Relay relay(long id, String label, byte[] task, byte[] calls, int size, Duration timeLimit,
            Relay.Outcome outcome) {
        Relayed sink = new Relayed(this, timeLimit, outcome);
        PendingJob job = PendingJob.relayed(id, new Submission(name, label, task, null), calls, size, sink);
        sink.job = job;
        tasks.submit(List.of(job));
        return sink;
    }

    // ------------------------------------------------------------------ stopping

    /** terminate() without the wait: kills the workers and cancels what is unfinished. */
    void stopNow() {
        TaskQueue.Ended ended = tasks.terminate();
        for (PendingJob abandoned : ended.jobs()) {
            abandon(abandoned);
        }
        for (Feeder feeder : ended.feeders()) {
            feeder.stop(new CancellationException("the pool was terminated before it read the rest of the items"));
        }
        for (Process process : workers.keySet()) {
            process.destroyForcibly();
        }
        if (remote != null) {
            remote.stopNow();
        }
    }

    /** Waits until every place has ended, every worker has exited and every result has been delivered. */
    void awaitEnd() throws InterruptedException {
        for (PoolWorker place : places) {
            place.join();
        }
        for (Map.Entry<Process, ErrorStream> worker : workers.entrySet()) {
            worker.getKey().waitFor();
            worker.getValue().awaitEnd(Duration.ofSeconds(1)); // its last lines, unless a grandchild holds the pipe
        }
        results.awaitStopped();
    }

    /** {@link #awaitEnd()}, at most {@code timeout}; whether everything has ended. */
    boolean awaitEnd(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (PoolWorker place : places) {
            if (!place.join(remaining(deadline))) {
                return false;
            }
        }
        for (Process process : workers.keySet()) {
            if (!process.waitFor(remaining(deadline).toNanos(), TimeUnit.NANOSECONDS)) {
                return false;
            }
        }
        return results.awaitStopped(remaining(deadline));
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    /** Whether every worker has exited and every result has been delivered, after a shutdown. */
    boolean hasEnded() {
        if (tasks.isOpen() || !results.hasStopped()) {
            return false;
        }
        for (PoolWorker place : places) {
            if (!place.ended()) {
                return false;
            }
        }
        return workers.keySet().stream().noneMatch(Process::isAlive);
    }
}

package dev.pyloom.multiprocessing;

import dev.pyloom.common.ServiceThreads;
import dev.pyloom.ipc.Connection;
import dev.pyloom.multiprocessing.internal.ErrorStream;
import dev.pyloom.multiprocessing.internal.Interrupts;
import dev.pyloom.multiprocessing.internal.JvmLauncher;
import dev.pyloom.multiprocessing.internal.Protocol;
import dev.pyloom.multiprocessing.internal.WorkerMain;
import dev.pyloom.multiprocessing.internal.Wire;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jfr.FlightRecorder;

/**
 * One of a pool's worker places: starts a worker JVM, feeds it jobs, reads their outcomes, and
 * starts a replacement when the worker dies or has run {@code maxTasksPerChild} jobs. Python's
 * {@code _handle_workers}, {@code _handle_tasks} and {@code _handle_results} for one worker, on a
 * thread of its own.
 *
 * <pre>
 *   TaskQueue --take/poll--> [in flight: oldest ... newest] --job frames--> worker JVM
 *                                  |                                           |
 *   sink (AsyncResult, map, imap) <+-- outcome of the oldest <-----------------+
 * </pre>
 *
 * <p>A worker runs its jobs one after another, in the order sent, so the oldest job in flight
 * is the one it is running. Normally that is the only one: a job waits in the pool's queue for
 * the first free worker. When more jobs wait than there are workers, a place also sends a few
 * ahead ({@link #MAX_IN_FLIGHT}), so that its worker goes from one to the next without waiting
 * for a round trip. When a worker dies, the job it was running fails with a
 * {@link WorkerDiedException}; the jobs sent ahead, never started, go back to the front of the
 * queue.
 *
 * <p>The place never blocks writing while its worker may be blocked writing an answer: a job
 * for an idle worker it writes itself; a job sent ahead too, if what the worker has not read
 * fits in the socket's buffer ({@link #DIRECT_AHEAD_BYTES}), and otherwise an
 * {@link AheadWriter} writes it while the place reads. Frames of any size, up to the pool's
 * limit, therefore cannot deadlock the connection.
 *
 * <p>The place's states: no worker (starting one, or none until there is work) → a worker with
 * nothing in flight (waiting in {@code take()}) → a worker with jobs in flight (waiting for an
 * answer) → back, or, when the worker dies or has served its allowance, no worker again.
 *
 * <p>The thread is a platform thread: it spends its life blocked reading one socket, which a
 * platform thread does with one system call, where a virtual thread would go through the JDK's
 * poller and a scheduler hand-off on every answer.
 */
final class PoolWorker {

    /** How many jobs a place sends ahead to its worker when the queue is long. */
    static final int MAX_IN_FLIGHT = 4;

    /**
     * How much a place may have sent its worker, unread, and still write a job sent ahead
     * itself: well under the smallest socket buffer of the systems pyloom runs on (8 KiB), so
     * that such a write never waits. Larger jobs sent ahead go through the {@link AheadWriter},
     * whose thread may wait while the place reads.
     */
    static final int DIRECT_AHEAD_BYTES = 4 << 10;

    /** How long a worker whose connection broke, or that was told to stop, may take to exit before it is killed. */
    static final Duration EXIT_GRACE = Duration.ofSeconds(5);

    private static final System.Logger LOG = System.getLogger("dev.pyloom.multiprocessing");
    private static final AtomicInteger NUMBER = new AtomicInteger();

    private final PoolRuntime runtime;
    private final Thread thread;
    private final ArrayDeque<PendingJob> inFlight = new ArrayDeque<>(); // only touched by `thread`
    private final ArrayDeque<Integer> inFlightBytes = new ArrayDeque<>(); // their frames' sizes; only touched by `thread`
    private long unreadBytes; // the sum of inFlightBytes: at most what the worker has not read yet; only touched by `thread`
    private Worker worker;      // only touched by `thread`
    private int sent;           // jobs sent to `worker`; only touched by `thread`
    private PendingJob delivering; // the job whose outcome is being handed to its sink; only touched by `thread`
    // The ids of the jobs in flight and their worker, for cancel(true) from other threads; written by `thread`
    private final Map<Long, Worker> inFlightIds = new ConcurrentHashMap<>();
    private volatile long killedForIgnoring = -1; // the job whose worker was killed for going on after its interrupt
    private volatile long runningId = -1; // the job the worker runs: the first in flight; written by `thread`

    /** A running worker JVM, its connection, and the writer of the jobs sent ahead to it. */
    private record Worker(String name, Process process, ErrorStream errors, Connection connection, AheadWriter ahead) {
        long pid() {
            return process.pid();
        }

        String where() {
            return name + " (pid " + pid() + ")";
        }
    }

    PoolWorker(PoolRuntime runtime, int place) {
        this.runtime = runtime;
        this.thread = ServiceThreads.daemon(runtime.name() + "-place-" + place).start(this::run);
    }

    /**
     * Interrupts the jobs with ids {@code firstId} to {@code firstId + count - 1} that are in
     * flight to this place's worker: the one running has its thread interrupted, those sent
     * ahead never start. A worker still running one of them the pool's interrupt grace later is
     * killed, and replaced as a dead one is. Any thread.
     */
    void interrupt(long firstId, int count) {
        for (Map.Entry<Long, Worker> inFlight : inFlightIds.entrySet()) {
            long id = inFlight.getKey();
            if (id < firstId || id >= firstId + count) {
                continue;
            }
            Worker target = inFlight.getValue();
            OutputStream stdin = target.process().getOutputStream();
            try {
                synchronized (stdin) {
                    stdin.write((Interrupts.COMMAND + id + "\n").getBytes(StandardCharsets.US_ASCII));
                    stdin.flush();
                }
            } catch (IOException gone) {
                continue; // the worker has exited: the place finds out and buries it
            }
            Thread.ofVirtual().name("pyloom-interrupt-grace").start(() -> {
                try {
                    Thread.sleep(runtime.interruptGrace());
                } catch (InterruptedException e) {
                    return;
                }
                // only if the worker still runs it: one sent ahead and still waiting will never
                // start, and the worker must not be killed for the task it runs before it
                if (inFlightIds.get(id) == target && runningId == id) {
                    killedForIgnoring = id;
                    target.process().destroyForcibly();
                }
            });
        }
    }

    void join() throws InterruptedException {
        if (Thread.currentThread() != thread) { // a stage composed on a result may call terminate() from here
            thread.join();
        }
    }

    /** {@link #join()}, waiting at most {@code timeout}; whether the place has ended (or is the caller). */
    boolean join(Duration timeout) throws InterruptedException {
        return Thread.currentThread() == thread || thread.join(timeout);
    }

    /** Whether the place's thread has ended. */
    boolean ended() {
        return !thread.isAlive();
    }

    /*
     * The first worker starts at once (startFirst); so does each replacement while the pool is
     * open.
     */
    private void run() {
        Throwable failure = null;
        runtime.placeStarted();
        try {
            startFirst();
            for (;;) {
                if (inFlight.isEmpty() && !sendFirst()) {
                    return;
                }
                sendAhead();
                if (!inFlight.isEmpty()) {
                    receive();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error bug) {
            // Nothing should get here. If something does, this place's state is unknown: rather
            // than leave the pool one place short, or with none and still open, the pool breaks,
            // loudly, and every job it will not run fails with the cause.
            failure = bug;
            LOG.log(System.Logger.Level.ERROR, "a pool worker's place failed; the pool is broken", bug);
        } finally {
            if (worker != null) {
                stop(worker);
            }
            if (!inFlight.isEmpty()) {
                runtime.placeBusy(false);
            }
            if (failure != null) {
                runtime.placeFailed(delivering, inFlight, failure);
            } else {
                for (PendingJob job : inFlight) {
                    runtime.abandon(job);
                }
            }
            inFlight.clear();
            inFlightIds.clear();
            runtime.placeFinished();
        }
    }

    /** Waits for a job and sends it, starting a worker if need be; false when there will be no more. */
    private boolean sendFirst() throws InterruptedException {
        for (;;) {
            PendingJob job = runtime.tasks().take();
            if (job == null) {
                return false;
            }
            if (worker != null && !worker.process().isAlive()) {
                buried(null); // it died idle: no job of its fails
            }
            if (worker == null) {
                try {
                    worker = spawn(false);
                    runtime.workerStarted();
                } catch (InterruptedException e) {
                    runtime.abandon(job);
                    throw e;
                } catch (KilledWhileStarting killed) {
                    if (runtime.tasks().isTerminated()) {
                        runtime.abandon(job);
                        return false;
                    }
                    runtime.workerKilledWhileStarting(job, killed);
                    continue;
                } catch (IOException | RuntimeException cannotStart) {
                    if (runtime.tasks().isTerminated()) {
                        runtime.abandon(job);
                        return false;
                    }
                    runtime.workerFailedToStart(job, cannotStart);
                    continue;
                }
            }
            if (runtime.tasks().isTerminated()) {
                runtime.abandon(job);
                return false;
            }
            if (send(job)) {
                return true;
            }
        }
    }

    /**
     * Sends jobs ahead while the queue is long: longer than what the places without work will
     * take, by at least one job per worker. A short queue is left to the first free worker, as
     * in Python (the tutorial's fifth task of four workers goes to whichever finishes first).
     */
    private void sendAhead() {
        while (worker != null && inFlight.size() < MAX_IN_FLIGHT && withinAllowance()
                && runtime.tasks().size() >= runtime.processes() + runtime.idlePlaces()) {
            PendingJob job = runtime.tasks().poll();
            if (job == null || !send(job)) {
                return;
            }
        }
    }

    private boolean withinAllowance() {
        return runtime.maxTasksPerChild() == 0 || sent < runtime.maxTasksPerChild();
    }

    /**
     * Sends a job to the worker; false if it is not: its result was cancelled; its arguments
     * cannot be encoded, or are too large (it has failed); or the worker is gone (the job is back in the queue, and the
     * worker's death is handled here).
     *
     * <p>With nothing in flight the worker has answered everything it was sent and is reading,
     * so the place writes the job itself. A job sent ahead goes to the {@link AheadWriter}: the
     * worker may be writing an answer at that moment, and the place must be free to read it.
     */
    private boolean send(PendingJob job) {
        if (job.sink().cancelled()) {
            return false; // its result was cancelled after the queue gave it to this place
        }
        byte[] frame;
        try {
            frame = job.frame();
        } catch (IllegalArgumentException cannotEncode) {
            job.failed(cannotEncode);
            return false;
        } catch (OutOfMemoryError tooLarge) {
            job.failed(new IllegalArgumentException("the arguments of " + job + " cannot be sent to a"
                    + " worker: as JSON they are larger than an array can hold (" + tooLarge.getMessage() + ")", tooLarge));
            return false;
        } catch (Throwable failed) { // what an argument's own code throws (an accessor, say) is this job's alone
            job.failed(failed);
            return false;
        }
        if (frame.length > Protocol.MAX_FRAME_BYTES) {
            job.failed(new IllegalArgumentException("the arguments of " + job + " are " + frame.length
                    + " bytes as JSON, over the " + Protocol.MAX_FRAME_BYTES + "-byte limit of a pool's messages"));
            return false;
        }
        boolean first = inFlight.isEmpty();
        if (first) {
            try {
                worker.connection().sendBytes(frame);
            } catch (IOException gone) {
                putBack(List.of(job));
                buried(null);
                return false;
            }
            runtime.placeBusy(true);
        } else if (unreadBytes + frame.length <= DIRECT_AHEAD_BYTES && worker.ahead().idle()) {
            // What the worker has not read, with this frame, fits in the socket's buffer: the
            // write cannot wait for the worker, and needs no thread of its own. A failed write
            // is the worker gone: the next read finds out and buries it.
            try {
                worker.connection().sendBytes(frame);
            } catch (IOException gone) {
                closeQuietly(worker);
            }
        } else {
            worker.ahead().write(frame);
        }
        inFlight.addLast(job);
        inFlightIds.put(job.id(), worker);
        inFlightBytes.addLast(frame.length);
        unreadBytes += frame.length;
        sent++;
        if (first) {
            started(job);
        }
        return true;
    }

    /*
     * The job at the head of what is in flight is the one the worker runs (it runs them in the
     * order sent): its time limit, if it has one, counts from here.
     */
    private void started(PendingJob job) {
        runningId = job.id();
        job.started(worker.name());
        Duration limit = job.sink().timeLimit();
        if (limit == null) {
            return;
        }
        Worker running = worker;
        Thread.ofVirtual().name("pyloom-time-limit").start(() -> {
            try {
                Thread.sleep(limit);
            } catch (InterruptedException e) {
                return;
            }
            if (inFlightIds.get(job.id()) == running) {
                job.sink().timedOut(job); // fails its result and interrupts it, as cancel(true)
            }
        });
    }

    /** Reads the outcome of the oldest job in flight and delivers it. */
    private void receive() {
        byte[] frame;
        try {
            frame = worker.connection().recvBytes();
        } catch (IOException | RuntimeException died) {
            inFlightBytes.pollFirst();
            buried(inFlight.pollFirst());
            return;
        }
        PendingJob job = inFlight.pollFirst();
        inFlightIds.remove(job.id());
        unreadBytes -= inFlightBytes.pollFirst(); // answered: the worker read it
        if (inFlight.isEmpty()) {
            runtime.placeBusy(false);
        } else {
            started(inFlight.peekFirst());
        }
        delivering = job;
        runtime.deliver(job, frame, worker.where());
        delivering = null;
        if (!withinAllowance() && inFlight.isEmpty()) {
            stop(worker);
            worker = null;
            startIfOpen();
        }
    }

    /**
     * The worker is gone: {@code running}, the job it was running (if any), fails with its exit
     * code; the jobs sent ahead go back to the queue; a replacement starts.
     */
    private void buried(PendingJob running) {
        Worker dead = worker;
        worker = null;
        closeQuietly(dead);
        List<PendingJob> unstarted = new ArrayList<>(inFlight);
        if (running != null || !inFlight.isEmpty()) {
            runtime.placeBusy(false);
        }
        inFlight.clear();
        inFlightIds.clear();
        inFlightBytes.clear();
        unreadBytes = 0;
        int exitCode;
        String lastWords = "";
        try {
            exitCode = exitCode(dead.process());
            if (running != null && !runtime.tasks().isTerminated()) {
                lastWords = dead.errors().quoteTail();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exitCode = -9;
        }
        if (!runtime.tasks().isTerminated()) {
            int code = exitCode;
            int sentAhead = unstarted.size();
            boolean replaced = runtime.tasks().isOpen();
            boolean killed = running != null && running.id() == killedForIgnoring;
            LOG.log(System.Logger.Level.WARNING, () -> dead.name() + " (pid " + dead.pid() + ") "
                    + (killed ? "was killed: " + running + " went on " + runtime.interruptGrace().toMillis()
                            + " ms after it was interrupted (cancel(true) or its time limit)" : "died with exit code " + code
                            + (running == null ? " while idle" : " running " + running + ", which fails"))
                    + (sentAhead == 0 ? "" : "; the " + sentAhead + " jobs sent ahead to it go back to the queue")
                    + (replaced ? "; a replacement starts" : ""));
        }
        if (running != null) {
            if (runtime.tasks().isTerminated()) {
                runtime.abandon(running);
            } else {
                running.failed(new WorkerDiedException(dead.name(), dead.pid(), exitCode,
                        running.toString(), lastWords));
            }
        }
        putBack(unstarted);
        startIfOpen();
    }

    private void putBack(List<PendingJob> unstarted) {
        for (PendingJob abandoned : runtime.tasks().putBack(unstarted)) {
            runtime.abandon(abandoned);
        }
    }

    /**
     * The place's first worker: started at once, as Python's are, so a new pool is ready for
     * work; with an initializer, even if the pool was closed at once (each of Python's workers
     * runs it, work or no work), unless it was terminated.
     */
    private void startFirst() {
        if (runtime.initializer() != null && !runtime.tasks().isOpen() && !runtime.tasks().isTerminated()) {
            start();
        } else {
            startIfOpen();
        }
    }

    /** Starts a worker if the pool takes work; if it cannot, the next job tries again (and reports why). */
    private void startIfOpen() {
        if (!runtime.tasks().isOpen()) {
            return;
        }
        start();
    }

    private void start() {
        try {
            worker = spawn(true);
            if (worker == null) {
                return; // the pool closed with nothing left to do while this start waited for its turn
            }
            runtime.workerStarted();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException cannotStart) {
            worker = null;
        }
    }

    /**
     * Starts a worker, in its turn ({@link PoolRuntime#launchTurn()}), and waits for it to connect. One
     * that started with the class-data archive and exits first is tried again without (the
     * archive is only an optimisation); one that cannot start at all is reported with the start
     * of its standard error.
     *
     * @param ahead true for a worker started before there is work for it. Unless the pool has an
     *              initializer (which every worker runs, as in Python), none is started (null)
     *              if, by its turn, the pool has run dry ({@link TaskQueue#ranDry()}), and one
     *              still starting then is killed: it holds no work, and would only be started to
     *              be stopped
     */
    private Worker spawn(boolean ahead) throws IOException, InterruptedException {
        boolean turn = runtime.launchTurn();
        try {
            // With an initializer every worker starts and runs it, as in Python, work or no work.
            boolean spare = ahead && runtime.initializer() == null;
            if (spare && runtime.tasks().ranDry().isDone()) {
                return null;
            }
            return spawnInTurn(spare);
        } finally {
            if (turn) {
                runtime.launched();
            }
        }
    }

    private Worker spawnInTurn(boolean dismissible) throws IOException, InterruptedException {
        CompletableFuture<Void> dry = dismissible ? runtime.tasks().ranDry() : new CompletableFuture<>();
        boolean archive = runtime.mayUseArchive();
        for (;;) {
            String name = "PoolWorker-" + NUMBER.incrementAndGet();
            long started = System.nanoTime();
            // A JFR event class costs its first JVM ~0.2 s of CPU when it loads (the recorder sets
            // itself up): only a JVM whose recorder runs, and can record the event, pays it.
            WorkerStartEvent event = FlightRecorder.isInitialized() ? new WorkerStartEvent() : null;
            if (event != null) {
                event.begin();
                event.pool = runtime.name();
                event.worker = name;
                event.archive = archive;
            }
            WorkerListener.Expected hello = runtime.listener().expect();
            JvmLauncher.Started child;
            try {
                child = runtime.launch(name, hello, archive);
            } catch (IOException | RuntimeException e) {
                hello.forget();
                throw e;
            }
            Process process = child.process();
            if (event != null) {
                event.pid = process.pid();
            }
            runtime.track(process, child.errors());
            try {
                // No deadline: a worker's initializer may take as long as it likes (as in Python). A
                // worker that exits first, or is killed by terminate(), ends the wait.
                CompletableFuture.anyOf(hello.connection, process.onExit(), dry).get();
            } catch (ExecutionException e) {
                // judged below
            } catch (InterruptedException e) {
                hello.forget();
                process.destroyForcibly();
                throw e;
            }
            Connection connection = hello.connection.getNow(null);
            if (event != null) {
                event.ready = connection != null;
                event.commit();
            }
            if (connection == null && dry.isDone()) {
                hello.forget();
                process.destroyForcibly();
                process.waitFor();
                LOG.log(System.Logger.Level.DEBUG, () -> name + " (pid " + process.pid()
                        + ") was still starting when the pool ran dry: stopped");
                return null;
            }
            if (connection != null) {
                sent = 0;
                LOG.log(System.Logger.Level.DEBUG, () -> String.format("%s (pid %d) started in %.0f ms", name,
                        process.pid(), (System.nanoTime() - started) / 1e6));
                return new Worker(name, process, child.errors(), connection, new AheadWriter(connection, name + "-ahead"));
            }
            hello.forget();
            process.destroyForcibly();
            String failure = JvmLauncher.startFailure(name, process, child.errors(), "before connecting");
            int code = JvmLauncher.pythonExitCode(process.exitValue());
            if (code < 0 && code != -6 && code != -11) {
                throw new KilledWhileStarting(failure); // by someone else: it says nothing of the next start
            }
            boolean initializerFailed = code == WorkerMain.INITIALIZER_FAILED;
            if (child.usedArchive() && !initializerFailed && !runtime.tasks().isTerminated()) {
                LOG.log(System.Logger.Level.DEBUG, () -> failure + " Trying again without the class-data archive.");
                runtime.archiveFailed();
                archive = false;
                continue;
            }
            throw new IOException(failure + (initializerFailed && runtime.initializer() != null ? " (Its initializer threw.)" : ""));
        }
    }

    /** A worker killed by a signal (not a crash) before it connected: nothing of its own prevented its start. */
    static final class KilledWhileStarting extends IOException {
        private static final long serialVersionUID = 1L;

        KilledWhileStarting(String message) {
            super(message);
        }
    }

    /** Tells the worker to finish and waits for it to exit (killing it if it will not). */
    private static void stop(Worker worker) {
        try {
            worker.connection().sendBytes(Wire.stop());
        } catch (IOException alreadyGone) {
            // it is exiting anyway
        }
        try {
            if (!worker.process().waitFor(EXIT_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                worker.process().destroyForcibly();
                worker.process().waitFor();
            }
        } catch (InterruptedException e) {
            worker.process().destroyForcibly();
            Thread.currentThread().interrupt();
        }
        closeQuietly(worker);
    }

    private static void closeQuietly(Worker worker) {
        worker.ahead().close();
        try {
            worker.connection().close();
        } catch (IOException ignored) {
            // done with it
        }
    }

    /**
     * The worker's exit code as Python reports it, negative for a signal, once it has exited
     * (killed if it has not within {@link #EXIT_GRACE}). The JDK reports death by signal n as
     * 128 + n, indistinguishable from {@code System.exit(128 + n)}; pyloom reads it as the signal.
     */
    static int exitCode(Process process) throws InterruptedException {
        if (!process.waitFor(EXIT_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
        return PyProcess.pythonExitCode(process.exitValue());
    }
}

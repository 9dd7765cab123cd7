package dev.pyloom.asyncio;

import dev.pyloom.asyncio.internal.CarrierThreads;
import dev.pyloom.asyncio.internal.LoopAccess;
import dev.pyloom.asyncio.internal.Rethrow;
import dev.pyloom.common.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An event loop: Python's {@code asyncio} event loop, running callbacks and coroutines.
 *
 * <p>The loop owns a <em>ready queue</em> of things to run now, a heap of <em>timers</em>, and
 * a thread-safe <em>inbox</em> that other threads may add to. Each turn of the loop moves what
 * arrived in the inbox and what timers came due to the ready queue, then runs what was ready at
 * the start of the turn, in order:
 *
 * <pre>
 *   other threads ──callSoonThreadsafe──► inbox ─┐
 *                                               ├──► ready queue ──► run in order, one at a time
 *   callLater / callAt ──► timers ── when due ──┘        ▲              │
 *                                                        │              ├── a callback: runs to its end
 *   callSoon, a future completing, a new task ───────────┘              └── a task's step: its coroutine runs
 *                                                                           until its next await point,
 *                                                                           then gives the loop back
 * </pre>
 *
 * <p>A coroutine is plain direct-style Java on a virtual thread. Only one coroutine or callback
 * of a loop runs at any moment, and a coroutine is never interrupted between two of its await
 * points, so state shared only by one loop's coroutines needs no lock. A blocking JDK call
 * inside a coroutine holds the whole loop, as in Python; {@link Asyncio#toThread} is the way
 * out. How the loop's single turn passes between coroutines is the loop's {@link Strategy}.
 *
 * <pre>{@code
 * try (EventLoop loop = new EventLoop()) {
 *     String answer = loop.run(() -> {
 *         Asyncio.sleep(Duration.ofMillis(10));
 *         return "done";
 *     });
 * }
 * }</pre>
 *
 * <p>Like Python's loops, a loop is not thread-safe: while it runs, only its own coroutines and
 * callbacks may call its methods, except {@link #callSoonThreadsafe}, {@link #runCoroutineThreadsafe},
 * {@link #stop()} and the queries {@link #isRunning()}, {@link #isClosed()} and {@link #time()},
 * which any thread may call. Other calls from another thread throw {@link IllegalStateException}.
 * While it is not running, it may be set up (tasks created, callbacks scheduled) from any one
 * thread at a time.
 */
public final class EventLoop implements AutoCloseable {

    static {
        LoopAccess.install(new EventLoopAccess()); // the hooks of the streams package
    }

    private static final long CLOCK_ORIGIN = System.nanoTime();

    /** The system property that switches debug mode on for new loops: {@code -Dpyloom.asyncio.debug=true}. */
    public static final String DEBUG_PROPERTY = "pyloom.asyncio.debug";

    /** The system property with debug mode's slow-step threshold in milliseconds (default 100). */
    public static final String SLOW_CALLBACK_PROPERTY = "pyloom.asyncio.slowCallbackMillis";

    /** Where debug mode reports: the logger named {@code dev.pyloom.asyncio} (Python's {@code asyncio} logger). */
    static final System.Logger LOGGER = System.getLogger("dev.pyloom.asyncio");

    private final Strategy strategy;
    final TaskScheduler scheduler;
    /** The ready queue, the timers and the inbox: what the loop runs, and when. */
    final Dispatcher dispatcher = new Dispatcher(this);

    // ---- only touched by the thread holding the loop's turn (or, while it is not running, by its user)
    /** Every task not yet done, so that none is lost to the garbage collector. */
    private final LiveTasks live = new LiveTasks();
    private ExceptionHandler exceptionHandler;
    private ExecutorService defaultExecutor;

    /** Who runs now: the driver, a task's thread, or nobody. */
    final LoopTurn turn = new LoopTurn();

    // ---- any thread
    /** Sockets, servers and child processes still open, closed with the loop. */
    final LoopResources resources = new LoopResources();
    /** Failures of this loop's futures that nobody has retrieved yet: reported at close at the latest. Any thread. */
    private final Set<FailedOutcome> unretrieved = ConcurrentHashMap.newKeySet();
    /** runCoroutineThreadsafe's futures whose coroutine the loop has not started yet: cancelled at close. */
    private final Set<CompletableFuture<?>> notYetRun = ConcurrentHashMap.newKeySet();
    /** The thread running the loop's dispatch, while it runs. */
    volatile Thread driver;
    volatile boolean stopping;
    private volatile boolean running;
    private volatile boolean closed;

    // ---- debug mode (any thread may switch it)
    volatile boolean debug = Boolean.getBoolean(DEBUG_PROPERTY);
    private volatile long slowCallbackNanos = Long.getLong(SLOW_CALLBACK_PROPERTY, 100) * 1_000_000;
    private SlowStepWatch watch; // only touched by the driver

    /**
     * A loop with the {@linkplain Strategy#automatic() automatic} strategy.
     *
     * @throws IllegalStateException if {@value Strategy#PROPERTY} forces the carrier strategy
     *                               and the JVM was not started with the flag it needs
     * @throws IllegalArgumentException if {@value Strategy#PROPERTY} names no strategy
     */
    public EventLoop() {
        this(Strategy.automatic());
    }

    /**
     * A loop with the given strategy.
     *
     * @throws IllegalStateException if {@code strategy} is {@link Strategy#CARRIER} and the JVM
     *                               was not started with the flag it needs
     */
    public EventLoop(Strategy strategy) {
        this.strategy = Objects.requireNonNull(strategy, "strategy");
        if (strategy == Strategy.CARRIER && !Strategy.carrierAvailable()) {
            throw new IllegalStateException(CarrierThreads.howToEnable());
        }
        this.scheduler = strategy == Strategy.CARRIER ? new CarrierScheduler(this) : new HandoffScheduler(this);
    }

    /** The strategy this loop runs its coroutines with. */
    public Strategy strategy() {
        return strategy;
    }

    // =====================================================================================
    // Running and stopping

    /**
     * Runs {@code coroutine} as a task until it completes and returns its result; then cancels
     * the tasks it left behind and lets them finish. The loop stays open. Python's
     * {@code asyncio.Runner.run(coro)}; {@link Asyncio#run} also creates and closes the loop.
     * Blocks the calling thread while the loop runs.
     *
     * <p>If the JVM is told to stop by a signal (SIGINT, SIGTERM, SIGHUP) meanwhile, the task is
     * cancelled, as Python's runner does on Ctrl-C, so that its {@code finally} blocks run (they
     * may await); the JVM exits once the run has returned, or after
     * {@code -Dpyloom.asyncio.signalGraceMillis} (5 seconds by default), and kills the loop's
     * child processes first.
     *
     * @throws Exception             whatever the coroutine threw; {@link CancelledException} if it was cancelled
     * @throws IllegalStateException if the loop is closed or running, or the calling thread runs another loop
     */
    public <T> T run(Coroutine<T> coroutine) throws Exception {
        requireRunnable(); // before the task: a loop that cannot run must not keep one it never runs
        Task<T> main = createTask(coroutine);
        SignalShutdown.Run watched = SignalShutdown.started(this, main); // SIGINT, SIGTERM: main is cancelled
        try {
            return runUntilComplete(main);
        } finally {
            try {
                cancelAllTasks();
            } finally {
                SignalShutdown.finished(watched);
            }
        }
    }

    /** {@link #run(Coroutine)} for a coroutine without a result. */
    public void run(VoidCoroutine coroutine) throws Exception {
        run(coroutine.asCoroutine());
    }

    /**
     * Runs the loop until {@code future} is done and returns its result. Python's
     * {@code loop.run_until_complete(future)}. Blocks the calling thread.
     *
     * @throws Exception             what the future holds, if it failed or was cancelled
     * @throws IllegalStateException if the loop is closed or running, or stopped before the future was done
     */
    public <T> T runUntilComplete(Future<T> future) throws Exception {
        Objects.requireNonNull(future, "future");
        requireSameLoop(future);
        java.util.function.Consumer<Future<T>> stopWhenDone = done -> stop();
        future.addDoneCallback(stopWhenDone);
        try {
            runForever();
        } finally {
            future.removeDoneCallback(stopWhenDone);
        }
        if (!future.done()) {
            throw new IllegalStateException("Event loop stopped before Future completed.");
        }
        return future.result();
    }

    /** Creates a task for {@code coroutine} and runs the loop until it is done. */
    public <T> T runUntilComplete(Coroutine<T> coroutine) throws Exception {
        return runUntilComplete(createTask(coroutine));
    }

    /**
     * Runs the loop until {@link #stop()} is called. Python's {@code loop.run_forever()}. Blocks
     * the calling thread. A {@code stop()} made before this call makes the loop run one turn.
     *
     * @throws IllegalStateException if the loop is closed or already running, or the calling
     *                               thread runs another loop
     */
    public void runForever() {
        requireRunnable();
        Thread caller = Thread.currentThread();
        if (!scheduler.needsOwnDriver(caller)) {
            dispatcher.driverInterrupted = false;
            try {
                dispatch();
            } finally {
                if (dispatcher.driverInterrupted) {
                    caller.interrupt(); // as when a helper drives: the caller's interrupt is kept for it
                }
            }
            return;
        }
        // The caller cannot be this strategy's driver (a virtual thread cannot carry others; a
        // platform thread makes every hand-off a kernel wake-up), so a thread that can drives
        // while the caller waits for it.
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread helper = scheduler.newDriver(() -> {
            try {
                dispatch();
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        running = true; // so that a second runForever() sees it at once
        helper.start();
        boolean interrupted = false;
        while (helper.isAlive()) {
            try {
                helper.join();
            } catch (InterruptedException e) {
                interrupted = true; // the loop cannot be abandoned half-run; stop() is the way
            }
        }
        if (interrupted) {
            caller.interrupt();
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
    }

    /**
     * Asks the loop to stop once the current turn is over. Python's {@code loop.stop()}. Never
     * blocks; any thread may call it.
     */
    public void stop() {
        stopping = true;
        dispatcher.wakeDriver();
    }

    /** Whether the loop is running. Python's {@code is_running()}. Any thread may ask. */
    public boolean isRunning() {
        return running;
    }

    /** Whether {@link #close()} was called. Python's {@code is_closed()}. Any thread may ask. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Closes the loop: tasks still pending are cancelled and run until they finish (so no
     * coroutine's virtual thread outlives the loop), sockets, servers and child processes still
     * open are closed (children are killed), the default executor is shut down, and every queued
     * callback is dropped. Python's {@code loop.close()}, which instead abandons pending
     * tasks. Closing a closed loop does nothing.
     *
     * @throws IllegalStateException if the loop is running
     */
    @Override
    public void close() {
        if (running) {
            throw new IllegalStateException("Cannot close a running event loop");
        }
        if (closed) {
            return;
        }
        try {
            // A task may start another as it is cancelled (in a finally): cancel until none is
            // left, so that no virtual thread stays parked forever, within reason.
            for (int pass = 0; pass < 10 && !live.isEmpty(); pass++) {
                cancelAllTasks();
            }
            if (!live.isEmpty()) {
                callExceptionHandler(new ExceptionContext("tasks kept starting new tasks as the loop closed;"
                        + " those left are abandoned", null, live.newest(), null));
            }
        } finally {
            closed = true;
            dispatcher.clear();
            for (CompletableFuture<?> never : List.copyOf(notYetRun)) {
                never.cancel(false); // its coroutine will never run: whoever waits on it must not wait forever
            }
            notYetRun.clear();
            resources.closeAll();
            if (defaultExecutor != null) {
                defaultExecutor.shutdown();
            }
            reportUnretrievedFailures();
        }
    }

    /**
     * At close, the failures nobody has retrieved, their futures still reachable, are reported:
     * their loop is gone. Last, once the loop is closed, so that a handler that throws (even an
     * {@code Error}) leaves nothing open; every failure is reported before it propagates.
     */
    private void reportUnretrievedFailures() {
        Throwable first = null;
        for (FailedOutcome failure : List.copyOf(unretrieved)) {
            try {
                failure.report(null);
            } catch (Throwable handlerFailed) {
                if (first == null) {
                    first = handlerFailed;
                } else {
                    first.addSuppressed(handlerFailed);
                }
            }
        }
        if (first != null) {
            throw Rethrow.<RuntimeException>unchecked(first);
        }
    }

    /**
     * The loop's clock: a monotonic reading, shared by every loop in the JVM, from an arbitrary
     * origin. Python's {@code loop.time()}. Any thread may ask.
     */
    public Duration time() {
        return Duration.ofNanos(now());
    }

    static long now() {
        return System.nanoTime() - CLOCK_ORIGIN;
    }

    // =====================================================================================
    // Callbacks

    /**
     * Schedules {@code callback} to run on the loop, after what is already scheduled. Python's
     * {@code loop.call_soon(callback)}. Never blocks.
     *
     * @throws IllegalStateException if called from another thread while the loop runs, or if the loop is closed
     */
    public Handle callSoon(Runnable callback) {
        requireLoopThread("callSoon");
        requireOpen();
        Handle handle = new Handle(this, callback);
        dispatcher.schedule(handle);
        return handle;
    }

    /**
     * Schedules {@code callback} from any thread, waking the loop if it waits. Python's
     * {@code loop.call_soon_threadsafe(callback)}. Never blocks.
     *
     * @throws IllegalStateException if the loop is closed
     */
    public Handle callSoonThreadsafe(Runnable callback) {
        requireOpen();
        Handle handle = new Handle(this, callback);
        dispatcher.submitForeign(handle);
        return handle;
    }

    /**
     * Schedules {@code callback} to run after {@code delay}; a zero or negative delay means as
     * soon as possible, after what is already due. Python's {@code loop.call_later(delay, callback)}.
     *
     * @throws IllegalStateException if called from another thread while the loop runs, or if the loop is closed
     */
    public TimerHandle callLater(Duration delay, Runnable callback) {
        return callAtNanos(Durations.saturatedAdd(now(), Durations.delayNanos(delay, "delay")), callback);
    }

    /**
     * Schedules {@code callback} to run at {@code when} on the loop's {@linkplain #time() clock}.
     * Python's {@code loop.call_at(when, callback)}.
     *
     * @throws IllegalStateException if called from another thread while the loop runs, or if the loop is closed
     */
    public TimerHandle callAt(Duration when, Runnable callback) {
        return callAtNanos(Durations.delayNanos(when, "when"), callback);
    }

    TimerHandle callAtNanos(long when, Runnable callback) {
        requireLoopThread("callAt");
        requireOpen();
        return dispatcher.addTimer(when, callback);
    }

    /** Wakes {@code sleeper} at {@code when}: {@link Task#sleepUntil}'s timer, the task itself. */
    void wakeAt(long when, Task<?> sleeper) {
        requireOpen();
        dispatcher.wakeAt(when, sleeper);
    }

    // =====================================================================================
    // Tasks and futures

    /**
     * Wraps {@code coroutine} in a task and schedules its first step. Python's
     * {@code loop.create_task(coro)}; the task is named {@code Task-N}. Never blocks.
     *
     * @throws IllegalStateException if called from another thread while the loop runs, or if the loop is closed
     */
    public <T> Task<T> createTask(Coroutine<T> coroutine) {
        return createTask(coroutine, null);
    }

    /** {@link #createTask(Coroutine)} with a name; null means {@code Task-N}. */
    public <T> Task<T> createTask(Coroutine<T> coroutine, String name) {
        return startTask(Objects.requireNonNull(coroutine, "coroutine"), name);
    }

    /** {@link #createTask(Coroutine)} for a coroutine without a result. */
    public Task<Void> createTask(VoidCoroutine coroutine) {
        return createTask(coroutine, null);
    }

    /** {@link #createTask(VoidCoroutine)} with a name; null means {@code Task-N}. */
    public Task<Void> createTask(VoidCoroutine coroutine, String name) {
        Objects.requireNonNull(coroutine, "coroutine");
        // Kept as it is rather than wrapped (one object fewer per task), unless it is a Coroutine too.
        return startTask(coroutine instanceof Coroutine<?> ? coroutine.asCoroutine() : coroutine, name);
    }

    /** Creates and starts a task whose body is a {@link Coroutine} or a {@link VoidCoroutine}. */
    private <T> Task<T> startTask(Object body, String name) {
        requireLoopThread("createTask");
        requireOpen();
        Task<T> task = new Task<>(this, body, name);
        live.add(task);
        scheduler.start(task);
        return task;
    }

    /** Forgets a task that is done; called by the task itself. */
    void taskDone(Task<?> task) {
        live.remove(task);
    }

    /** A new pending future bound to this loop. Python's {@code loop.create_future()}. */
    public <T> Future<T> createFuture() {
        return new Future<>(this);
    }

    /** The tasks of this loop that are not done, newest first. Python's {@code asyncio.all_tasks(loop)}. */
    public List<Task<?>> allTasks() {
        requireLoopThread("allTasks");
        return live.toList();
    }

    /**
     * Runs {@code coroutine} on this loop from another thread. Python's
     * {@code asyncio.run_coroutine_threadsafe(coro, loop)}. Never blocks. Cancelling the
     * returned future cancels the task. If the loop closes before it has started the coroutine,
     * the future is cancelled (CPython's stays pending forever).
     *
     * @return a future completed with the coroutine's outcome
     * @throws IllegalStateException if the loop is closed
     */
    public <T> CompletableFuture<T> runCoroutineThreadsafe(Coroutine<T> coroutine) {
        Objects.requireNonNull(coroutine, "coroutine");
        CompletableFuture<T> result = new CompletableFuture<>();
        notYetRun.add(result);
        try {
            callSoonThreadsafe(() -> startThreadsafe(coroutine, result));
        } catch (RuntimeException refused) {
            notYetRun.remove(result);
            throw refused;
        }
        return result;
    }

    private <T> void startThreadsafe(Coroutine<T> coroutine, CompletableFuture<T> result) {
        notYetRun.remove(result);
        if (result.isDone()) {
            return; // cancelled before the loop got to it
        }
        Task<T> task = createTask(coroutine);
        task.addDoneCallback(done -> done.copyTo(result));
        result.whenComplete((value, failure) -> {
            if (result.isCancelled() && !closed) {
                callSoonThreadsafe(task::cancel);
            }
        });
    }

    /**
     * Runs {@code function} on {@code executor} (the loop's default executor, which starts one
     * virtual thread per call, if null) and returns a future of this loop for its outcome. Python's
     * {@code loop.run_in_executor(executor, func)}. Never blocks. Cancelling the future cancels the
     * call if it has not started (for an {@link ExecutorService}); a call already running goes on
     * and its result is dropped.
     *
     * @throws IllegalStateException if called from another thread while the loop runs, or if the loop is closed
     */
    public <T> Future<T> runInExecutor(Executor executor, Callable<T> function) {
        Objects.requireNonNull(function, "function");
        requireLoopThread("runInExecutor");
        requireOpen();
        Executor target = executor != null ? executor : defaultExecutor();
        Future<T> future = new Future<>(this);
        Runnable call = () -> {
            T value;
            try {
                value = function.call();
            } catch (Throwable failure) {
                callSoonThreadsafeIfOpen(() -> {
                    if (!future.done()) {
                        future.setException(failure);
                    }
                });
                return;
            }
            callSoonThreadsafeIfOpen(() -> {
                if (!future.done()) {
                    future.setResult(value);
                }
            });
        };
        if (target instanceof ExecutorService service) {
            java.util.concurrent.Future<?> submitted = service.submit(call);
            future.addDoneCallback(done -> {
                if (done.cancelled()) {
                    submitted.cancel(false);
                }
            });
        } else {
            target.execute(call);
        }
        return future;
    }

    /**
     * {@link #callSoonThreadsafe} for helpers outside the loop (executors, I/O pumps) that may
     * outlive it: returns false, and drops the callback, if the loop is closed.
     */
    boolean callSoonThreadsafeIfOpen(Runnable callback) {
        if (closed) {
            return false;
        }
        dispatcher.submitForeign(new Handle(this, callback));
        return true;
    }

    /** The loop's one instance of {@code kind}, made on first use and closed with the loop. Call on the loop. */
    <R extends AutoCloseable> R attachment(Class<R> kind, LoopAccess.Factory<R> create) throws java.io.IOException {
        requireLoopThread("attachment");
        requireOpen();
        return resources.attachment(this, kind, create);
    }

    /**
     * Waits, after close(), for the calls still running on the default executor (toThread,
     * runInExecutor) to end: at most {@code timeout}, then a warning. What {@code asyncio.run}
     * does with {@code shutdown_default_executor()}. Returns whether they all ended.
     */
    boolean awaitExecutorCalls(Duration timeout) {
        ExecutorService executor = defaultExecutor;
        if (executor == null) {
            return true;
        }
        try {
            if (executor.awaitTermination(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS)) {
                return true;
            }
            System.getLogger("dev.pyloom.asyncio").log(System.Logger.Level.WARNING,
                    "the default executor's calls did not end within " + timeout + "; not waiting for them any longer");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private ExecutorService defaultExecutor() {
        if (defaultExecutor == null) {
            defaultExecutor = Executors.newThreadPerTaskExecutor(CarrierThreads.ordinary().factory());
        }
        return defaultExecutor;
    }

    // =====================================================================================
    // Debug mode

    /**
     * Switches debug mode on or off. Python's {@code loop.set_debug(enabled)}. Off by default;
     * {@code -Dpyloom.asyncio.debug=true} switches it on for every new loop. In debug mode the
     * loop reports:
     * <ul>
     *   <li>every step that holds the loop longer than {@link #getSlowCallbackDuration()}: a
     *       callback, or a coroutine between two await points (one calling {@code Thread.sleep},
     *       say), with the task's name and the stack of its thread taken while it was slow,
     *       through the {@link System.Logger} named {@code dev.pyloom.asyncio}, at level
     *       {@code WARNING};</li>
     *   <li>every future or task that fails while nothing waits for it and whose exception nobody
     *       has retrieved once the loop gets back to it, to the exception handler, early (without
     *       debug mode, such a failure is reported when its future becomes unreachable or the loop
     *       closes): see {@link Future} ("Exception never retrieved").</li>
     * </ul>
     * Any thread may call it.
     */
    public void setDebug(boolean enabled) {
        debug = enabled;
    }

    /** Whether debug mode is on. Python's {@code loop.get_debug()}. */
    public boolean getDebug() {
        return debug;
    }

    /**
     * Sets how long a step may hold the loop before debug mode reports it (100 ms by default, or
     * {@code -Dpyloom.asyncio.slowCallbackMillis}). Python's {@code loop.slow_callback_duration}.
     *
     * @throws IllegalArgumentException if {@code threshold} is negative
     */
    public void setSlowCallbackDuration(Duration threshold) {
        if (threshold.isNegative()) {
            throw new IllegalArgumentException("slow callback duration must not be negative: " + threshold);
        }
        slowCallbackNanos = Durations.delayNanos(threshold, "threshold");
    }

    /** How long a step may hold the loop before debug mode reports it. */
    public Duration getSlowCallbackDuration() {
        return Duration.ofNanos(slowCallbackNanos);
    }

    long slowCallbackNanos() {
        return slowCallbackNanos;
    }

    /*
     * A step, timed: CPython's debug-mode _run_once does the same around handle._run(). The watch
     * takes the holder's stack while the step is slow; the report is made after it, on the driver.
     */
    void runTimed(Object item) {
        if (watch == null) {
            watch = new SlowStepWatch(this);
            watch.start();
        }
        long start = watch.begin();
        StackTraceElement[] stack;
        try {
            dispatcher.runItem(item);
        } finally {
            stack = watch.end();
        }
        long took = System.nanoTime() - start;
        if (took >= slowCallbackNanos) {
            String what = dispatcher.describeStep(item);
            StringBuilder report = new StringBuilder("Executing ").append(what)
                    .append(String.format(java.util.Locale.ROOT, " took %.3f seconds", took / 1e9));
            if (stack != null) {
                report.append("; while it held the loop it was at:");
                for (StackTraceElement frame : stack) {
                    report.append("\n\tat ").append(frame);
                }
            }
            LOGGER.log(System.Logger.Level.WARNING, report.toString());
        }
    }

    void watchUnretrieved(FailedOutcome failure) {
        unretrieved.add(failure);
    }

    void forgetUnretrieved(FailedOutcome failure) {
        unretrieved.remove(failure);
    }

    /**
     * Runs {@code report} on the loop if it is running, and says whether it will: a report found
     * by the Cleaner's thread. A report queued as the loop stops is dropped with the inbox at
     * close, which then makes it itself (the failure is still unsettled).
     */
    boolean reportOnLoop(Runnable report) {
        return running && callSoonThreadsafeIfOpen(report);
    }

    /** Reports a failure nobody retrieved (see {@link FailedOutcome}) to the exception handler. */
    void reportNeverRetrieved(ExceptionContext context) {
        callExceptionHandler(context);
    }

    // =====================================================================================
    // Errors

    /**
     * Sets the handler for errors nobody else can receive (a callback that threw); null restores
     * the default, which prints them to {@code System.err}. Python's {@code set_exception_handler}.
     */
    public void setExceptionHandler(ExceptionHandler handler) {
        requireLoopThread("setExceptionHandler");
        this.exceptionHandler = handler;
    }

    /** The handler set by {@link #setExceptionHandler}, or null for the default. */
    public ExceptionHandler getExceptionHandler() {
        return exceptionHandler;
    }

    /**
     * Reports an error to the exception handler; an exception thrown by the handler itself is
     * reported by the default one. Python's {@code call_exception_handler(context)}.
     */
    public void callExceptionHandler(ExceptionContext context) {
        Objects.requireNonNull(context, "context");
        ExceptionHandler handler = exceptionHandler;
        if (handler == null) {
            defaultExceptionHandler(context);
            return;
        }
        try {
            handler.handle(this, context);
        } catch (Exception e) {
            defaultExceptionHandler(new ExceptionContext("Unhandled error in exception handler", e, null, null));
            defaultExceptionHandler(context);
        }
    }

    /** Prints the error to {@code System.err}. Python's {@code default_exception_handler}. */
    public void defaultExceptionHandler(ExceptionContext context) {
        StringBuilder text = new StringBuilder(context.message());
        if (context.future() != null) {
            text.append("\nfuture: ").append(context.future());
        }
        if (context.handle() != null) {
            text.append("\nhandle: ").append(context.handle());
        }
        System.err.println(text);
        if (context.exception() != null) {
            context.exception().printStackTrace();
        }
    }

    // =====================================================================================
    // The dispatch loop (the driver thread)

    private void dispatch() {
        Thread me = Thread.currentThread();
        driver = me;
        turn.driverStarts(me);
        running = true;
        RunningLoops.add(this);
        scheduler.driverStarted(me);
        try {
            do {
                dispatcher.runOnce();
            } while (!stopping);
        } finally {
            if (watch != null) {
                watch.stop();
                watch = null;
            }
            stopping = false;
            turn.driverStops();
            driver = null;
            RunningLoops.remove(this);
            running = false;
        }
    }

    /** Runs the loop until the tasks still pending, cancelled now, have finished. */
    private void cancelAllTasks() {
        if (live.isEmpty()) {
            return;
        }
        List<Task<?>> pending = live.toList();
        for (Task<?> task : pending) {
            task.cancel();
        }
        try {
            runUntilComplete(new GatheringFuture(this, List.copyOf(pending), true));
        } catch (Exception e) {
            throw new IllegalStateException("cancelling the remaining tasks failed", e);
        }
        for (Task<?> task : pending) {
            Throwable failure = task.cancelled() ? null : task.exceptionNow();
            if (failure != null) {
                callExceptionHandler(new ExceptionContext(
                        "unhandled exception during shutdown of the event loop", failure, task, null));
            }
        }
    }

    // =====================================================================================
    // Who may use the loop

    /** The loop whose turn the calling thread holds, or null. Python's {@code _get_running_loop()}. */
    static EventLoop runningOrNull() {
        return RunningLoops.ofCaller();
    }

    /** The loop whose turn the calling thread holds. Python's {@code get_running_loop()}. */
    static EventLoop running(String what) {
        EventLoop loop = runningOrNull();
        if (loop == null) {
            throw new IllegalStateException(what + ": no running event loop in " + Thread.currentThread()
                    + " (only a loop's coroutines and callbacks may call it; other threads use callSoonThreadsafe)");
        }
        return loop;
    }

    /** The task whose coroutine is running on the calling thread. */
    static Task<?> currentTask(String what) {
        Task<?> task = running(what).turn.task();
        if (task == null) {
            throw new IllegalStateException(what + " must be called from a coroutine, not from a callback");
        }
        return task;
    }

    /** Throws unless the calling thread holds this loop's turn, or the loop is not running at all. */
    void requireLoopThread(String what) {
        Thread holder = turn.holder();
        if (holder != null && holder != Thread.currentThread()) {
            throw new IllegalStateException(what + " called from " + Thread.currentThread()
                    + ", not from the event loop running it; use callSoonThreadsafe or runCoroutineThreadsafe");
        }
    }

    /** Throws unless the calling thread may run this loop now: it is open, idle, and no loop runs on this thread. */
    private void requireRunnable() {
        requireOpen();
        if (running) {
            throw new IllegalStateException("This event loop is already running");
        }
        if (runningOrNull() != null) {
            throw new IllegalStateException("Cannot run the event loop while another loop is running");
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("Event loop is closed");
        }
    }

    void requireSameLoop(Future<?> future) {
        if (future.loop != this) {
            throw new IllegalArgumentException("The future belongs to a different loop than the one specified");
        }
    }

    @Override
    public String toString() {
        return "EventLoop[" + strategy.name().toLowerCase(java.util.Locale.ROOT)
                + (running ? ", running" : closed ? ", closed" : "") + "]";
    }
}

package dev.pyloom.asyncio;

import dev.pyloom.common.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The functions of Python's {@code asyncio} module: {@code run}, {@code sleep},
 * {@code create_task}, {@code gather}, {@code wait}, {@code wait_for}, {@code as_completed},
 * {@code shield}, {@code timeout}, {@code to_thread}, {@code current_task}.
 *
 * <p>All but {@link #run} are called from inside a coroutine and work on the loop running it;
 * called from elsewhere they throw {@link IllegalStateException}. Those that wait are await
 * points: the coroutine gives the loop away there, and may be cancelled there.
 *
 * <pre>{@code
 * static void hello() {
 *     System.out.println("Hello world!");
 *     Asyncio.sleep(Duration.ofSeconds(1));
 *     System.out.println("Hello again!");
 * }
 * Asyncio.run(() -> Asyncio.gather(Asyncio.createTask(Hello::hello), Asyncio.createTask(Hello::hello)));
 * }</pre>
 */
public final class Asyncio {

    /** How long {@link #run} waits for toThread calls still running when the loop closes: CPython's 300 s. */
    private static final Duration EXECUTOR_SHUTDOWN_TIMEOUT = Duration.ofMinutes(5);

    private Asyncio() {}

    /**
     * Runs {@code coroutine} on a new event loop until it completes, cancels the tasks it left
     * behind, closes the loop, waits for the {@link #toThread} calls still running (up to five
     * minutes), and returns the coroutine's result. Python's {@code asyncio.run(main())}.
     * Blocks the calling thread.
     *
     * @throws Exception             what the coroutine threw
     * @throws IllegalStateException if the calling thread is running an event loop
     */
    public static <T> T run(Coroutine<T> coroutine) throws Exception {
        if (EventLoop.runningOrNull() != null) {
            throw new IllegalStateException("Asyncio.run() cannot be called from a running event loop");
        }
        EventLoop loop = new EventLoop();
        SignalShutdown.Run closing = SignalShutdown.started(loop, null); // after a signal, the JVM waits for the close too
        try {
            try (loop) {
                return loop.run(coroutine);
            } finally {
                SignalShutdown.finished(closing);
            }
        } finally {
            loop.awaitExecutorCalls(EXECUTOR_SHUTDOWN_TIMEOUT); // as asyncio.run waits for them
        }
    }

    /** {@link #run(Coroutine)} for a coroutine without a result. */
    public static void run(VoidCoroutine coroutine) throws Exception {
        run(coroutine.asCoroutine());
    }

    /**
     * Suspends the current coroutine for {@code delay}; zero or negative means one trip to the back
     * of the ready queue, letting every other ready coroutine run (Python's {@code sleep(0)}).
     * Python's {@code await asyncio.sleep(delay)}. An await point.
     *
     * @throws CancelledException if the task is cancelled while it sleeps
     */
    public static void sleep(Duration delay) {
        long nanos = Durations.delayNanos(delay, "delay");
        Task<?> task = EventLoop.currentTask("sleep");
        if (nanos <= 0) {
            task.yieldNow();
            return;
        }
        task.sleepUntil(Durations.saturatedAdd(EventLoop.now(), nanos));
    }

    /** The running loop. Python's {@code asyncio.get_running_loop()}. @throws IllegalStateException if none */
    public static EventLoop getRunningLoop() {
        return EventLoop.running("getRunningLoop");
    }

    /** The task running the calling coroutine, if any. Python's {@code asyncio.current_task()}. */
    public static Optional<Task<?>> currentTask() {
        EventLoop loop = EventLoop.runningOrNull();
        return loop == null ? Optional.empty() : Optional.ofNullable(loop.turn.task());
    }

    /** The running loop's tasks that are not done. Python's {@code asyncio.all_tasks()}. */
    public static List<Task<?>> allTasks() {
        return getRunningLoop().allTasks();
    }

    /** Starts {@code coroutine} as a task of the running loop. Python's {@code asyncio.create_task(coro)}. */
    public static <T> Task<T> createTask(Coroutine<T> coroutine) {
        return getRunningLoop().createTask(coroutine);
    }

    /** {@link #createTask(Coroutine)} with a name. */
    public static <T> Task<T> createTask(Coroutine<T> coroutine, String name) {
        return getRunningLoop().createTask(coroutine, name);
    }

    /** {@link #createTask(Coroutine)} for a coroutine without a result. */
    public static Task<Void> createTask(VoidCoroutine coroutine) {
        return getRunningLoop().createTask(coroutine);
    }

    /** {@link #createTask(Coroutine, String)} for a coroutine without a result. */
    public static Task<Void> createTask(VoidCoroutine coroutine, String name) {
        return getRunningLoop().createTask(coroutine, name);
    }

    // =====================================================================================
    // gather

    /**
     * Waits for every future and returns their results in order. Python's
     * {@code await asyncio.gather(*aws)}. The first failure is thrown at once (the others go
     * on); if the awaiting task is cancelled, every future not yet done is cancelled. An await point.
     *
     * @throws Exception          the first failure among the futures, as it was
     * @throws CancelledException if a future was cancelled, or the awaiting task was
     */
    @SafeVarargs
    public static <T> List<T> gather(Future<? extends T>... futures) throws Exception {
        List<Future<? extends T>> all = new ArrayList<>(futures.length);
        for (Future<? extends T> future : futures) {
            all.add(future);
        }
        return gather(all);
    }

    /** {@link #gather(Future[])} of a collection. */
    @SuppressWarnings("unchecked")
    public static <T> List<T> gather(Collection<? extends Future<? extends T>> futures) throws Exception {
        return (List<T>) gather(futures, false);
    }

    /**
     * {@link #gather(Collection)}, and with {@code returnExceptions} a failure or cancellation
     * takes its future's place in the list (as the exception) instead of being thrown. Python's
     * {@code gather(*aws, return_exceptions=True)}.
     */
    public static List<Object> gather(Collection<? extends Future<?>> futures, boolean returnExceptions)
            throws Exception {
        EventLoop loop = getRunningLoop();
        return new GatheringFuture(loop, List.copyOf(futures), returnExceptions).await();
    }

    /** Starts each coroutine as a task and gathers them: Python's {@code gather(coro1(), coro2())}. */
    @SafeVarargs
    public static <T> List<T> gather(Coroutine<? extends T>... coroutines) throws Exception {
        EventLoop loop = getRunningLoop();
        List<Future<? extends T>> tasks = new ArrayList<>(coroutines.length);
        for (Coroutine<? extends T> coroutine : coroutines) {
            tasks.add(loop.createTask(coroutine));
        }
        return gather(tasks);
    }

    /** {@link #gather(Coroutine[])} for coroutines without a result: {@code gather(hello(), hello())}. */
    public static List<Void> gather(VoidCoroutine... coroutines) throws Exception {
        EventLoop loop = getRunningLoop();
        List<Future<Void>> tasks = new ArrayList<>(coroutines.length);
        for (VoidCoroutine coroutine : coroutines) {
            tasks.add(loop.createTask(coroutine));
        }
        return gather(tasks);
    }

    // =====================================================================================
    // wait, wait_for, as_completed, shield

    /** When {@link #wait(Collection, ReturnWhen, Duration)} returns. Python's {@code FIRST_COMPLETED}, ... */
    public enum ReturnWhen {
        /** When any future is done or cancelled. */
        FIRST_COMPLETED,
        /** When any future fails with an exception, or all are done. */
        FIRST_EXCEPTION,
        /** When all are done. */
        ALL_COMPLETED
    }

    /**
     * What {@link #wait(Collection, ReturnWhen, Duration)} found: the futures done, and those
     * still pending, each in the order given.
     */
    public record DoneAndPending<F>(Set<F> done, Set<F> pending) {}

    /**
     * Waits until the futures are done as {@code returnWhen} says, or {@code timeout} passes.
     * Python's {@code asyncio.wait(aws, timeout, return_when)}, under its
     * own name: a static method with arguments cannot reach {@code Object}'s {@code wait()}.
     * Cancels nothing and throws no {@code TimeoutException}: look at what is pending. An await
     * point.
     *
     * @throws IllegalArgumentException if {@code futures} is empty
     * @throws NullPointerException     if {@code timeout} is null: the overload without one waits for as long as it takes
     * @throws CancelledException       if the awaiting task is cancelled (the futures go on)
     */
    public static <F extends Future<?>> DoneAndPending<F> wait(Collection<F> futures, ReturnWhen returnWhen,
                                                              Duration timeout) {
        return awaitFutures(futures, returnWhen, requireTimeout(timeout, "wait"));
    }

    /** {@link #wait(Collection, ReturnWhen, Duration)} without a timeout. */
    public static <F extends Future<?>> DoneAndPending<F> wait(Collection<F> futures, ReturnWhen returnWhen) {
        return awaitFutures(futures, returnWhen, null);
    }

    /** Both waits; a null timeout here is none. */
    private static <F extends Future<?>> DoneAndPending<F> awaitFutures(Collection<F> futures, ReturnWhen returnWhen,
                                                                       Duration timeout) {
        Objects.requireNonNull(returnWhen, "returnWhen");
        if (futures.isEmpty()) {
            throw new IllegalArgumentException("Set of Tasks/Futures is empty.");
        }
        Task<?> task = EventLoop.currentTask("wait");
        EventLoop loop = task.loop;
        Future<Void> waiter = new Future<>(loop);
        int[] pending = {futures.size()};
        TimerHandle timer = timeout == null ? null : loop.callLater(timeout, () -> {
            if (!waiter.done()) {
                waiter.setResult(null);
            }
        });
        Consumer<Future<?>> onDone = f -> {
            pending[0]--;
            if (pending[0] == 0 || returnWhen == ReturnWhen.FIRST_COMPLETED
                    || (returnWhen == ReturnWhen.FIRST_EXCEPTION && f.exceptionNow() != null)) {
                if (!waiter.done()) {
                    waiter.setResult(null);
                }
            }
        };
        for (F future : futures) {
            loop.requireSameLoop(future);
            future.addDoneCallback(onDone);
        }
        try {
            task.awaitDone(waiter);
        } finally {
            if (timer != null) {
                timer.cancel();
            }
            for (F future : futures) {
                future.removeDoneCallback(onDone);
            }
        }
        Set<F> done = new LinkedHashSet<>();
        Set<F> notDone = new LinkedHashSet<>();
        for (F future : futures) {
            (future.done() ? done : notDone).add(future);
        }
        return new DoneAndPending<>(done, notDone);
    }


    /**
     * Waits at most {@code timeout} for {@code future} and returns its result;
     * on timeout cancels it, waits until it has finished, and only then throws. Python's
     * {@code asyncio.wait_for(aw, timeout)}. Cancelling the awaiting task cancels {@code future}
     * too. An await point.
     *
     * @throws TimeoutException     if the future was not done in time
     * @throws Exception            what the future failed with
     * @throws CancelledException   if the awaiting task was cancelled
     * @throws NullPointerException if {@code timeout} is null: without one, {@code future.await()}
     */
    public static <T> T waitFor(Future<T> future, Duration timeout) throws Exception {
        Objects.requireNonNull(future, "future");
        requireTimeout(timeout, "waitFor");
        if (Durations.delayNanos(timeout, "timeout") <= 0) {
            if (future.done()) {
                return future.result();
            }
            cancelAndWait(future);
            try {
                return future.result();
            } catch (CancelledException e) {
                TimeoutException timedOut = new TimeoutException("waitFor timed out");
                timedOut.initCause(e);
                throw timedOut;
            }
        }
        try (Timeout scope = timeout(timeout)) {
            return future.await();
        }
    }

    /** {@link #waitFor(Future, Duration)} of a coroutine, started as a task. */
    public static <T> T waitFor(Coroutine<T> coroutine, Duration timeout) throws Exception {
        return waitFor(createTask(coroutine), timeout);
    }

    /** Cancels {@code future} and waits until it is done, whatever it does with the cancellation. */
    private static void cancelAndWait(Future<?> future) {
        Task<?> task = EventLoop.currentTask("waitFor");
        Future<Void> finished = new Future<>(task.loop);
        Consumer<Future<?>> release = f -> {
            if (!finished.done()) {
                finished.setResult(null);
            }
        };
        future.addDoneCallback(release);
        try {
            future.cancel();
            task.awaitDone(finished);
        } finally {
            future.removeDoneCallback(release);
        }
    }

    /**
     * The outcomes of {@code futures} in the order they complete: the i-th future returned
     * completes as the i-th of {@code futures} to finish. Python's {@code asyncio.as_completed(aws, timeout)};
     * await each in turn. If {@code timeout} passes first, those not yet completed fail with
     * {@link TimeoutException}. Never blocks.
     *
     * <pre>{@code
     * for (Future<String> next : Asyncio.asCompleted(tasks, Duration.ofSeconds(5))) {
     *     String earliest = next.await();
     * }
     * }</pre>
     *
     * @throws NullPointerException if {@code timeout} is null: the overload without one has no deadline
     */
    public static <T> List<Future<T>> asCompleted(Collection<? extends Future<? extends T>> futures, Duration timeout) {
        return inCompletionOrder(futures, requireTimeout(timeout, "asCompleted"));
    }

    /** {@link #asCompleted(Collection, Duration)} without a timeout: each outcome comes when it comes. */
    public static <T> List<Future<T>> asCompleted(Collection<? extends Future<? extends T>> futures) {
        return inCompletionOrder(futures, null);
    }

    /** Both asCompleted; a null timeout here is none. */
    private static <T> List<Future<T>> inCompletionOrder(Collection<? extends Future<? extends T>> futures,
                                                         Duration timeout) {
        EventLoop loop = getRunningLoop();
        List<Future<? extends T>> watched = List.copyOf(futures);
        List<Future<T>> inOrder = new ArrayList<>(watched.size());
        for (int i = 0; i < watched.size(); i++) {
            inOrder.add(new Future<>(loop));
        }
        int[] filled = {0};
        TimerHandle[] timer = {null};
        // A slot its caller cancelled (say, by a waitFor that timed out) is skipped: the next
        // outcome goes to the next open slot, as CPython's queue hands it to the next waiter.
        Consumer<Future<?>> onDone = done -> {
            while (filled[0] < inOrder.size() && inOrder.get(filled[0]).done()) {
                filled[0]++;
            }
            if (filled[0] < inOrder.size()) {
                done.copyTo(inOrder.get(filled[0]++));
                if (filled[0] == inOrder.size() && timer[0] != null) {
                    timer[0].cancel();
                }
            }
        };
        for (Future<? extends T> future : watched) {
            loop.requireSameLoop(future);
            future.addDoneCallback(onDone);
        }
        if (timeout != null) {
            timer[0] = loop.callLater(timeout, () -> {
                watched.forEach(future -> future.removeDoneCallback(onDone));
                while (filled[0] < inOrder.size()) {
                    Future<T> slot = inOrder.get(filled[0]++);
                    if (!slot.done()) {
                        slot.setException(new TimeoutException("asCompleted timed out"));
                        slot.exceptionNow(); // a slot nobody awaits after the timeout is not a lost failure (Python queues None)
                    }
                }
            });
        }
        return inOrder;
    }

    /**
     * A loop future that completes as {@code future} does: Python's
     * {@code asyncio.wrap_future(concurrent_future)}. A coroutine awaits work of another thread or
     * process with it — a Pool's {@code AsyncResult}, an {@code ExecutorService}'s future —
     * without holding the loop: other coroutines run meanwhile. Never blocks.
     *
     * <pre>{@code
     * AsyncResult<Integer> square = pool.applyAsync(Demo::square, 7);
     * int result = Asyncio.wrapFuture(square).await();   // await asyncio.wrap_future(...)
     * }</pre>
     *
     * <p>The result, the exception (a failed {@code future}'s cause, unwrapped from its
     * {@code ExecutionException} or {@code CompletionException}) or the cancellation is copied to
     * the loop future on the loop. Cancelling the loop future — directly, or by cancelling the
     * task awaiting it, or by a timeout — calls {@code future.cancel(false)}, as Python's does:
     * a Pool task still queued is withdrawn; one already running goes on, and its result is
     * dropped. A {@code CompletionStage} is watched with a callback; any other future by a
     * virtual thread waiting in its {@code get()}, which ends when {@code future} completes.
     *
     * @throws IllegalStateException if no loop is running in this thread
     */
    public static <T> Future<T> wrapFuture(java.util.concurrent.Future<T> future) {
        Objects.requireNonNull(future, "future");
        EventLoop loop = getRunningLoop();
        Future<T> wrapped = new Future<>(loop);
        java.util.function.BiConsumer<T, Throwable> copy = (value, failure) -> loop.callSoonThreadsafeIfOpen(() -> {
            if (wrapped.done()) {
                return; // cancelled here first
            }
            Throwable cause = failure;
            while ((cause instanceof java.util.concurrent.ExecutionException
                    || cause instanceof java.util.concurrent.CompletionException) && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause == null) {
                wrapped.setResult(value);
            } else if (cause instanceof java.util.concurrent.CancellationException) {
                wrapped.cancel();
            } else {
                wrapped.setException(cause);
            }
        });
        if (future instanceof java.util.concurrent.CompletionStage<?>) {
            @SuppressWarnings("unchecked")
            java.util.concurrent.CompletionStage<T> stage = (java.util.concurrent.CompletionStage<T>) future;
            stage.whenComplete(copy);
        } else {
            Thread.ofVirtual().name("pyloom-asyncio-wrapFuture").start(() -> {
                boolean interrupted = false;
                while (true) {
                    try {
                        copy.accept(future.get(), null);
                        break;
                    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException e) {
                        copy.accept(null, e);
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true; // nobody of pyloom's interrupts it: keep waiting for the outcome
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        wrapped.addDoneCallback(done -> {
            if (done.cancelled()) {
                future.cancel(false);
            }
        });
        return wrapped;
    }

    /**
     * A future that completes as {@code inner} does, but whose cancellation does not reach
     * {@code inner}. Python's {@code asyncio.shield(aw)}: {@code shield(task).await()} lets the
     * awaiting task be cancelled while {@code task} goes on. Never blocks.
     */
    public static <T> Future<T> shield(Future<T> inner) {
        Objects.requireNonNull(inner, "inner");
        if (inner.done()) {
            return inner;
        }
        EventLoop loop = inner.loop;
        loop.requireLoopThread("shield");
        Future<T> outer = new Future<>(loop);
        Consumer<Future<T>> copy = done -> {
            if (!outer.done()) {
                done.copyTo(outer);
            }
        };
        inner.addDoneCallback(copy);
        outer.addDoneCallback(o -> {
            if (!inner.done()) {
                inner.removeDoneCallback(copy);
            }
        });
        return outer;
    }

    // =====================================================================================
    // Timeouts and threads

    /**
     * A {@link Timeout} scope, entered, whose deadline is {@code delay} from now (null: none).
     * Python's {@code async with asyncio.timeout(delay)}.
     */
    public static Timeout timeout(Duration delay) {
        Duration when = delay == null ? null
                : Duration.ofNanos(Durations.saturatedAdd(EventLoop.now(), Durations.delayNanos(delay, "delay")));
        return new Timeout(when).enter();
    }

    /** A {@link Timeout} scope, entered, with its deadline at {@code when} on the loop's clock. Python's {@code timeout_at}. */
    public static Timeout timeoutAt(Duration when) {
        return new Timeout(when).enter();
    }

    /**
     * Runs blocking {@code function} on another (virtual) thread and waits for it without
     * holding the loop. Python's {@code await asyncio.to_thread(func)}. An await point; if the
     * task is cancelled here, the function goes on and its result is dropped.
     *
     * @throws Exception what the function threw
     */
    public static <T> T toThread(Callable<T> function) throws Exception {
        return getRunningLoop().runInExecutor(null, function).await();
    }

    /**
     * {@code timeout}, which must not be null: a null is never a timeout here, as in
     * {@code java.util.concurrent}; each wait has an overload without one.
     */
    private static Duration requireTimeout(Duration timeout, String call) {
        return Objects.requireNonNull(timeout, () -> call + ": timeout is null; call the overload without a timeout to wait"
                + " for as long as it takes");
    }
}

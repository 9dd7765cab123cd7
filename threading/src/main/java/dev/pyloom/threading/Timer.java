package dev.pyloom.threading;

import dev.pyloom.common.Durations;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A thread that runs a function after a delay, unless cancelled first: Python's
 * {@code threading.Timer}.
 *
 * <pre>{@code
 * Timer reminder = new Timer(Duration.ofSeconds(30), () -> System.out.println("still there?"));
 * reminder.start();
 * ...
 * reminder.cancel();   // the function will not run, if it had not started yet
 * }</pre>
 *
 * <p>A timer is a {@link PyThread}: virtual, named {@code Thread-N}, visible in
 * {@link Threading#enumerate()} while it waits, joinable, and (by default, inheriting from the
 * main thread) a non-daemon thread that keeps the program alive until it has fired or been
 * cancelled. Each timer owns its interval, function and arguments; nothing is shared between
 * timers.
 */
public final class Timer extends PyThread {

    /*
     * state:
     *   WAITING -> FIRING      the timer thread, when the interval has elapsed
     *   WAITING -> CANCELLED   cancel(), from any thread, before or after start()
     * One CAS decides between them, so a cancel() that returns true is a guarantee: the
     * function has not run and never will. `cancelled` only wakes the timer thread early.
     */
    private static final int WAITING = 0;
    private static final int FIRING = 1;
    private static final int CANCELLED = 2;

    private final AtomicInteger state = new AtomicInteger(WAITING);
    private final Event cancelled = new Event();
    private final Duration interval;
    private final Target function;

    /**
     * Creates a timer that runs {@code function} once {@code interval} has passed after
     * {@link #start()}.
     *
     * @throws IllegalArgumentException if {@code interval} is negative
     */
    public Timer(Duration interval, Target function) {
        super();
        Durations.timeoutNanos(interval, "interval");
        this.interval = interval;
        this.function = Objects.requireNonNull(function, "function");
    }

    /** A timer that calls {@code function(arg)}: Python's {@code Timer(interval, f, args=(arg,))}. */
    public <A> Timer(Duration interval, Target1<? super A> function, A arg) {
        this(interval, bind(function, arg));
    }

    /** A timer that calls {@code function(first, second)}: Python's {@code Timer(interval, f, args=(a, b))}. */
    public <A, B> Timer(Duration interval, Target2<? super A, ? super B> function, A first, B second) {
        this(interval, bind(function, first, second));
    }

    private static <A> Target bind(Target1<? super A> function, A arg) {
        Objects.requireNonNull(function, "function");
        return () -> function.run(arg);
    }

    private static <A, B> Target bind(Target2<? super A, ? super B> function, A first, B second) {
        Objects.requireNonNull(function, "function");
        return () -> function.run(first, second);
    }

    /**
     * Stops the timer if it has not fired yet; it may be called before {@link #start()}, and more
     * than once. Never blocks.
     *
     * @return {@code true} if this call stopped the timer (the function never runs);
     *         {@code false} if it had already fired or been cancelled. Python's {@code cancel()}
     *         returns nothing.
     */
    public boolean cancel() {
        boolean stopped = state.compareAndSet(WAITING, CANCELLED);
        cancelled.set();
        return stopped;
    }

    /** Whether the timer was cancelled before it fired. */
    public boolean isCancelled() {
        return state.get() == CANCELLED;
    }

    /** The delay between {@link #start()} and running the function. */
    public Duration interval() {
        return interval;
    }

    /** Waits out the interval, then runs the function unless cancelled. */
    @Override
    public void run() throws Exception {
        boolean cancelledEarly = cancelled.await(interval);
        if (!cancelledEarly && state.compareAndSet(WAITING, FIRING)) {
            function.run();
        }
    }
}

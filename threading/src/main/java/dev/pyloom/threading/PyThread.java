package dev.pyloom.threading;

import dev.pyloom.common.Durations;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A thread of control, in the style of Python's {@code threading.Thread}; named {@code PyThread}
 * so as not to shadow {@code java.lang.Thread}.
 *
 * <p>Give it a target, or subclass it and override {@link #run()}, then {@link #start()} it and
 * {@link #join()} it. It runs on a <em>virtual</em> thread unless built with
 * {@link Builder#platform()}, so a program can afford tens of thousands of them.
 *
 * <pre>{@code
 * PyThread t = new PyThread(Tour::loop, "LoopThread");   // threading.Thread(target=loop, name='LoopThread')
 * t.start();
 * t.join();
 *
 * PyThread.builder().target(Bank::runThread, 5).start();  // threading.Thread(target=run_thread, args=(5,))
 * }</pre>
 *
 * <p>What Python promises, pyloom keeps:
 * <ul>
 *   <li>names default to {@code Thread-1}, {@code Thread-2}, ... (CPython 3.10+ appends the
 *       target's name; a Java lambda has none); {@link Threading#mainThread()} is called
 *       {@code MainThread};</li>
 *   <li>{@linkplain #isDaemon() daemon} status is inherited from the creating thread, and the
 *       program does not end while a non-daemon thread is alive, virtual or not (the JVM alone
 *       would not wait for a virtual thread);</li>
 *   <li>an exception that escapes {@link #run()} goes to {@link Threading#excepthook()} and does
 *       not reach any other thread;</li>
 *   <li>{@link Threading#enumerate()} and {@link Threading#activeCount()} see the thread from
 *       the moment {@code start()} returns until its {@code run()} has finished.</li>
 * </ul>
 */
public class PyThread {

    /** A thread's body without arguments: Python's {@code target}. May throw. */
    @FunctionalInterface
    public interface Target {
        /** Runs the thread's work. */
        void run() throws Exception;
    }

    /** A thread's body taking one argument: {@code target} with {@code args=(a,)}. */
    @FunctionalInterface
    public interface Target1<A> {
        /** Runs the thread's work with its argument. */
        void run(A arg) throws Exception;
    }

    /** A thread's body taking two arguments: {@code target} with {@code args=(a, b)}. */
    @FunctionalInterface
    public interface Target2<A, B> {
        /** Runs the thread's work with its arguments. */
        void run(A first, B second) throws Exception;
    }

    /** Where a PyThread object comes from. */
    enum Origin {
        /** Created through this class and started (or startable) by {@link #start()}. */
        CREATED,
        /** The JVM's main thread. */
        MAIN,
        /** Any other thread not started here that asked for {@link Threading#currentThread()}. */
        DUMMY
    }

    private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();
    private static final AtomicInteger DUMMY_NUMBER = new AtomicInteger();

    private final Origin origin;
    private final Thread thread; // null only for a main thread that ended before pyloom looked
    private final Target target; // null when run() is overridden, and for main and dummy threads
    private volatile String name;

    /*
     * Lifecycle of a CREATED thread, in `flags` (STARTED and DAEMON bits, one word so that
     * setDaemon() and start() cannot interleave: the daemon status start() acts on is the one
     * it froze):
     *   new -> new          setDaemon(), any number of times (CAS on the DAEMON bit)
     *   new -> started      start(), once (CAS sets STARTED; a second start finds it set)
     *   started -> ended    run() has returned or thrown and the excepthook has run; `ended`
     *                       opens after the thread has left the registry, so join() implies
     *                       "no longer in enumerate()"
     * Main and dummy threads are created started, and are alive exactly as long as their Java
     * thread.
     */
    private static final int STARTED = 1;
    private static final int DAEMON = 2;
    private final AtomicInteger flags;
    private final CountDownLatch ended = new CountDownLatch(1);

    /**
     * Creates a thread that runs {@code target}, named {@code Thread-N}, virtual, with the
     * creating thread's daemon status.
     */
    public PyThread(Target target) {
        this(builder().target(target));
    }

    /** Creates a thread that runs {@code target} under {@code name}; otherwise as {@link #PyThread(Target)}. */
    public PyThread(Target target, String name) {
        this(builder().target(target).name(name));
    }

    /** For subclasses that override {@link #run()}: a virtual thread named {@code Thread-N}. */
    protected PyThread() {
        this(builder());
    }

    /** For subclasses that override {@link #run()} and want other options: name, daemon, platform. */
    @SuppressWarnings("this-escape") // the Java thread holds `this`, but cannot run it before start()
    protected PyThread(Builder options) {
        this.origin = Origin.CREATED;
        this.target = options.target;
        this.name = options.name != null ? options.name : "Thread-" + THREAD_NUMBER.incrementAndGet();
        boolean daemon = options.daemon != null ? options.daemon : ThreadRegistry.daemonOfCurrentThread();
        this.flags = new AtomicInteger(daemon ? DAEMON : 0);
        Thread.Builder javaThread = options.virtual ? Thread.ofVirtual() : Thread.ofPlatform();
        this.thread = javaThread.name(name).unstarted(this::bootstrap);
    }

    private PyThread(Origin origin, Thread thread, String name, boolean daemon) {
        this.origin = origin;
        this.thread = thread;
        this.target = null;
        this.name = name;
        this.flags = new AtomicInteger(STARTED | (daemon ? DAEMON : 0));
    }

    /** The PyThread for the JVM's main thread (null if it had already ended). */
    static PyThread forMainThread(Thread main) {
        return new PyThread(Origin.MAIN, main, "MainThread", false);
    }

    /** A dummy PyThread for a thread this module did not start, as Python's {@code _DummyThread}. */
    static PyThread forAlienThread(Thread alien) {
        String javaName = alien.getName();
        String name = javaName.isEmpty() ? "Dummy-" + DUMMY_NUMBER.incrementAndGet() : javaName;
        return new PyThread(Origin.DUMMY, alien, name, alien.isDaemon());
    }

    /** Returns a builder for a thread with a name, daemon status, carrier kind and target. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the thread: {@link #run()} begins in the new thread, and the thread is in
     * {@link Threading#enumerate()} when this returns.
     *
     * @throws IllegalStateException if the thread was started before, or is the main or a
     *                               dummy thread
     */
    public void start() {
        int before;
        do {
            before = flags.get();
            if ((before & STARTED) != 0) {
                throw new IllegalStateException("threads can only be started once");
            }
        } while (!flags.compareAndSet(before, before | STARTED));
        if (!thread.isVirtual()) {
            thread.setDaemon((before & DAEMON) != 0);
        }
        try {
            ThreadRegistry.register(this);
        } catch (Throwable couldNotRegister) {
            ended.countDown();
            throw couldNotRegister;
        }
        try {
            thread.start();
        } catch (Throwable couldNotStart) {
            ThreadRegistry.unregister(this);
            ended.countDown();
            throw couldNotStart;
        }
    }

    /**
     * The thread's work. The default runs the target given at construction, if any; a subclass
     * may override it instead, as in Python. Calling it directly runs it in the calling thread.
     */
    public void run() throws Exception {
        if (target != null) {
            target.run();
        }
    }

    private void bootstrap() {
        try {
            run();
        } catch (Throwable failure) {
            Threading.reportUncaught(this, failure);
        } finally {
            ThreadRegistry.unregister(this);
            ended.countDown();
        }
    }

    /**
     * Waits until the thread has finished.
     *
     * @throws IllegalStateException if the thread was not started, is the calling thread, or is
     *                               a dummy thread
     * @throws InterruptedException  if the calling thread is interrupted while it waits
     */
    public void join() throws InterruptedException {
        checkJoinable();
        if (origin == Origin.MAIN) {
            if (thread != null) {
                thread.join();
            }
        } else {
            ended.await();
        }
    }

    /**
     * Waits at most {@code timeout} for the thread to finish. Python's {@code join(timeout)}
     * returns nothing and leaves the caller to ask {@code is_alive()}; this returns the answer.
     *
     * @return {@code true} if the thread has finished
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws IllegalStateException    if the thread was not started, is the calling thread, or
     *                                  is a dummy thread
     * @throws InterruptedException     if the calling thread is interrupted while it waits
     */
    public boolean join(Duration timeout) throws InterruptedException {
        long nanos = Durations.timeoutNanos(timeout, "timeout");
        checkJoinable();
        if (origin == Origin.MAIN) {
            return thread == null || thread.join(Duration.ofNanos(nanos));
        }
        return ended.await(nanos, TimeUnit.NANOSECONDS);
    }

    private void checkJoinable() {
        if (origin == Origin.DUMMY) {
            throw new IllegalStateException("cannot join a dummy thread");
        }
        if (!isStarted()) {
            throw new IllegalStateException("cannot join thread before it is started");
        }
        if (thread == Thread.currentThread()) {
            throw new IllegalStateException("cannot join current thread");
        }
    }

    /** Whether the thread has started and not yet finished. Python's {@code is_alive()}. */
    public boolean isAlive() {
        return switch (origin) {
            case CREATED -> isStarted() && ended.getCount() != 0;
            case MAIN, DUMMY -> thread != null && thread.isAlive();
        };
    }

    /** The thread's name; for threads started here, also the name of the Java thread. */
    public String name() {
        return name;
    }

    /**
     * Renames the thread. For a thread created here the Java thread is renamed too; the main
     * thread and dummies keep their Java names (pyloom does not rename threads it does not own).
     */
    public void setName(String name) {
        this.name = Objects.requireNonNull(name, "name");
        if (origin == Origin.CREATED) {
            thread.setName(name);
        }
    }

    /** Whether the program may end while this thread is still running. */
    public boolean isDaemon() {
        return (flags.get() & DAEMON) != 0;
    }

    /**
     * Sets whether this is a daemon thread.
     *
     * @throws IllegalStateException if the thread has been started
     */
    public void setDaemon(boolean daemon) {
        int before;
        do {
            before = flags.get();
            if ((before & STARTED) != 0) {
                throw new IllegalStateException("cannot set daemon status of active thread");
            }
        } while (!flags.compareAndSet(before, daemon ? before | DAEMON : before & ~DAEMON));
    }

    private boolean isStarted() {
        return (flags.get() & STARTED) != 0;
    }

    /** Whether the thread runs on a virtual thread. */
    public boolean isVirtual() {
        return thread != null && thread.isVirtual();
    }

    /**
     * The thread's identifier, {@link Thread#threadId()} of the Java thread. Unlike Python's
     * {@code ident} it is known before the thread starts; {@code -1} only for a main thread that
     * had ended before pyloom first looked for it.
     */
    public long ident() {
        return thread == null ? -1 : thread.threadId();
    }

    /**
     * Interrupts the thread, as {@link Thread#interrupt()}: a wait in any of pyloom's primitives
     * ({@code Lock.acquire}, {@code Condition.await}, {@code Event.await}, {@code join}...) ends
     * with an {@link InterruptedException}. Python has no
     * equivalent: a thread there can only be asked to stop through shared state, such as an
     * {@code Event}. Nothing happens to a thread that has ended.
     */
    public void interrupt() {
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** Whether the thread has been interrupted and has not yet cleared it ({@link Thread#isInterrupted()}). */
    public boolean isInterrupted() {
        return thread != null && thread.isInterrupted();
    }

    /** The Java thread behind this one; null only for a main thread that had ended unseen. */
    Thread javaThread() {
        return thread;
    }

    /** Whether this stands for a thread not started here (the main thread or a dummy). */
    boolean isAlien() {
        return origin != Origin.CREATED;
    }

    @Override
    public String toString() {
        String status = switch (origin) {
            case CREATED -> !isStarted() ? "initial" : isAlive() ? "started" : "stopped";
            case MAIN, DUMMY -> isAlive() ? "started" : "stopped";
        };
        return "PyThread[" + name + ", " + status + (isDaemon() ? " daemon" : "") + (isVirtual() ? " virtual" : "")
                + " #" + ident() + (origin == Origin.DUMMY ? ", dummy]" : "]");
    }

    /**
     * Options for a {@link PyThread}: Python's {@code Thread(name=..., daemon=..., target=...,
     * args=...)}, plus the choice of a platform thread.
     *
     * <pre>{@code
     * PyThread worker = PyThread.builder()
     *         .name("worker")
     *         .daemon(true)
     *         .target(Service::serve, port)
     *         .start();
     * }</pre>
     */
    public static final class Builder {

        private String name;
        private Boolean daemon;
        private boolean virtual = true;
        private Target target;

        private Builder() {}

        /** The thread's name; {@code Thread-N} if not given. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** The thread's daemon status; inherited from the creating thread if not given. */
        public Builder daemon(boolean daemon) {
            this.daemon = daemon;
            return this;
        }

        /** Run on a platform (operating-system) thread instead of a virtual one. */
        public Builder platform() {
            this.virtual = false;
            return this;
        }

        /** The thread's work. */
        public Builder target(Target target) {
            this.target = Objects.requireNonNull(target, "target");
            return this;
        }

        /** The thread's work and its one argument: Python's {@code target=f, args=(arg,)}. */
        public <A> Builder target(Target1<? super A> target, A arg) {
            Objects.requireNonNull(target, "target");
            this.target = () -> target.run(arg);
            return this;
        }

        /** The thread's work and its two arguments: Python's {@code target=f, args=(a, b)}. */
        public <A, B> Builder target(Target2<? super A, ? super B> target, A first, B second) {
            Objects.requireNonNull(target, "target");
            this.target = () -> target.run(first, second);
            return this;
        }

        /** Creates the thread, unstarted. */
        public PyThread build() {
            return new PyThread(this);
        }

        /** Creates the thread and starts it. */
        public PyThread start() {
            PyThread thread = build();
            thread.start();
            return thread;
        }
    }
}

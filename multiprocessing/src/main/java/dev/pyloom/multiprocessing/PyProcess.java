package dev.pyloom.multiprocessing;

import dev.pyloom.common.Durations;
import dev.pyloom.common.ShutdownCause;
import dev.pyloom.ipc.Json;
import dev.pyloom.ipc.internal.ExitSequence;
import dev.pyloom.multiprocessing.internal.Bootstrapping;
import dev.pyloom.multiprocessing.internal.ChildClasspath;
import dev.pyloom.multiprocessing.internal.ErrorStream;
import dev.pyloom.multiprocessing.internal.Invocation;
import dev.pyloom.multiprocessing.internal.JvmLauncher;
import dev.pyloom.multiprocessing.internal.Protocol;
import dev.pyloom.multiprocessing.internal.TaskRef;
import dev.pyloom.multiprocessing.internal.WorkerMain;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import tools.jackson.databind.JsonNode;

/**
 * A task running in a process of its own: Python's {@code multiprocessing.Process}, named
 * {@code PyProcess} so as not to shadow {@code java.lang.Process}. The process is a new JVM,
 * started from this one's {@code java} and class path, whose standard output and error are this
 * one's.
 *
 * <pre>{@code
 * PyProcess p = new PyProcess(Demo::runProc, "test");   // Process(target=run_proc, args=('test',))
 * p.start();
 * p.join();
 * }</pre>
 *
 * <p>The target is a {@link Task} (a method reference or a lambda) and its arguments travel as
 * JSON; a {@link dev.pyloom.ipc.Queue} or {@link dev.pyloom.ipc.Connection} among them arrives in
 * the child as a live queue or connection. A target that throws prints
 * {@code Process NAME:} and the stack trace on standard error, and the process exits with code 1,
 * as in Python.
 *
 * <p>As in Python, the program waits at exit for its non-daemon processes, and terminates its
 * daemon ones. A program stopped by a signal (SIGTERM, SIGINT, SIGHUP) terminates all of them,
 * and kills those still running after a few seconds, instead of waiting. Unlike Python's, a child
 * also exits on its own if this JVM dies abruptly (killed), so no JVM outlives the program that
 * started it.
 */
public final class PyProcess {

    private static final AtomicInteger NUMBER = new AtomicInteger();
    private static final Set<PyProcess> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        ExitSequence.beforeSocketsClose(PyProcess::atExit);
        // Loaded now, not when the exit wait first needs it: a launcher that runs the program in
        // its own JVM (mvn exec:java) has closed the program's class loader by then.
        ShutdownCause.class.getName();
    }

    /** How long children told to stop by a signalled parent have before they are killed. */
    static final Duration SIGNAL_GRACE = Duration.ofSeconds(3);

    private final Task target;             // null for current()
    private final List<?> args;
    private final List<String> jvmOptions;
    private final ChildClasspath givenClasses; // what the builder was given; null: derived at start()
    private final boolean current;
    private volatile String name;
    private volatile boolean daemon;
    private volatile Process process;      // set once by start(), under `starting`
    private volatile ErrorStream errors = ErrorStream.none(); // set with `process`
    /** close() was called: every use but the name and the daemon flag throws. Set once, under `starting`. */
    private volatile boolean closed;
    private final ReentrantLock starting = new ReentrantLock();

    /** A process that runs {@code target()}. Python's {@code Process(target=f)}. */
    public PyProcess(Task.Run0 target) {
        this(builder().target(target));
    }

    /** A process that runs {@code target(a)}. Python's {@code Process(target=f, args=(a,))}. */
    public <A> PyProcess(Task.Run1<A> target, A a) {
        this(builder().target(target, a));
    }

    /** A process that runs {@code target(a, b)}. */
    public <A, B> PyProcess(Task.Run2<A, B> target, A a, B b) {
        this(builder().target(target, a, b));
    }

    /** A process that runs {@code target(a, b, c)}. */
    public <A, B, C> PyProcess(Task.Run3<A, B, C> target, A a, B b, C c) {
        this(builder().target(target, a, b, c));
    }

    private PyProcess(Builder options) {
        if (options.target == null) {
            throw new IllegalArgumentException("a process needs a target");
        }
        this.target = options.target;
        this.args = options.args;
        this.jvmOptions = List.copyOf(options.jvmOptions);
        this.givenClasses = options.classes.isGiven() ? options.classes.get() : null;
        this.current = false;
        this.name = options.name != null ? options.name : "Process-" + NUMBER.incrementAndGet();
        this.daemon = options.daemon;
    }

    private PyProcess(String name, boolean daemon) {
        this.target = null;
        this.args = List.of();
        this.jvmOptions = List.of();
        this.givenClasses = null;
        this.current = true;
        this.name = name;
        this.daemon = daemon;
    }

    /** Options: name, daemon, JVM options, and the target. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * This process: {@code MainProcess} in a program's own JVM; in a child started by pyloom,
     * its name (e.g. {@code Process-1}, {@code PoolWorker-3}). Python's
     * {@code multiprocessing.current_process()}. It cannot be started or joined.
     */
    public static PyProcess current() {
        return CurrentHolder.CURRENT;
    }

    private static final class CurrentHolder {
        static final PyProcess CURRENT = new PyProcess(
                System.getProperty(WorkerMain.NAME_PROPERTY, "MainProcess"),
                Boolean.getBoolean(WorkerMain.DAEMON_PROPERTY));
    }

    /**
     * Starts the child JVM. Python's {@code start()}. The target and its arguments are encoded
     * here (a connection or queue among them is handed over now), as Python pickles them here.
     *
     * @throws IllegalStateException    if already started or closed, or this is {@link #current()}
     * @throws IllegalArgumentException if the target or an argument cannot be sent to another
     *                                  process, saying which
     * @throws IOException              if the JVM cannot be started
     */
    public void start() throws IOException {
        if (current) {
            throw new IllegalStateException("cannot start the current process");
        }
        Bootstrapping.check("a PyProcess");
        Class<?> caller = ChildClasspath.callerOutside(Set.of(PyProcess.class, Builder.class));
        starting.lock();
        try {
            requireOpen();
            if (process != null) {
                throw new IllegalStateException("cannot start a process twice");
            }
            TaskRef ref = TaskRef.of(target);
            Invocation invocation = Invocation.resolve(ref, target.getClass().getClassLoader());
            invocation.requireArity(args.size());
            invocation.requireCapturesDecode();
            invocation.requireInvocable();
            ChildClasspath classes = childClasses(invocation.declaringClass(), caller);
            classes.requireCovers(invocation.declaringClass(), "the target " + ref.describe());
            JvmLauncher.Started child = JvmLauncher.start(new Protocol.Bootstrap("process", name, daemon, null, null,
                    null, null, null, ref, encodedArgs()), jvmOptions, classes, true);
            errors = child.errors();
            process = child.process();
            RUNNING.add(this);
            process.onExit().thenRun(() -> RUNNING.remove(this));
        } finally {
            starting.unlock();
        }
    }

    /* What the child loads: given by the builder, or derived from the target's and the caller's class loaders. */
    private ChildClasspath childClasses(Class<?> targetClass, Class<?> caller) throws IOException {
        if (givenClasses != null) {
            return givenClasses;
        }
        List<Class<?>> anchors = new ArrayList<>(List.of(targetClass));
        if (caller != null) {
            anchors.add(caller);
        }
        return ChildClasspath.derive(anchors);
    }

    private List<JsonNode> encodedArgs() {
        List<JsonNode> encoded = new ArrayList<>(args.size());
        for (Object arg : args) {
            encoded.add(Json.toTree(arg));
        }
        return encoded;
    }

    /**
     * Waits until the process has exited. Python's {@code join()}.
     *
     * @throws IllegalStateException if it was never started (Python: "can only join a started process"),
     *                               or is closed
     */
    public void join() throws InterruptedException {
        started().waitFor();
        errors.awaitEnd(LAST_WORDS);
    }

    /**
     * Waits at most {@code timeout} for the process to exit; returns whether it has. Python's
     * {@code join(timeout)} (which returns nothing; ask {@code is_alive()}).
     */
    public boolean join(Duration timeout) throws InterruptedException {
        boolean exited = started().waitFor(Durations.timeoutNanos(timeout, "timeout"), TimeUnit.NANOSECONDS);
        if (exited) {
            errors.awaitEnd(LAST_WORDS);
        }
        return exited;
    }

    /*
     * A child's standard error reaches this JVM's through a thread that copies it: join() waits
     * for the last lines (a traceback, say) to be copied, unless something the child started
     * still holds the pipe.
     */
    private static final Duration LAST_WORDS = Duration.ofSeconds(1);

    /**
     * Whether the process has started and not exited. Python's {@code is_alive()}.
     *
     * @throws IllegalStateException if it is closed
     */
    public boolean isAlive() {
        if (current) {
            return true;
        }
        requireOpen();
        Process p = process;
        return p != null && p.isAlive();
    }

    /**
     * The exit code once the process has exited: 0, 1 if its target threw, the code it passed to
     * {@code System.exit}, or minus the signal that killed it ({@code -15} after
     * {@link #terminate()}, {@code -9} after {@link #kill()}). Empty while it runs, and before
     * it starts. Python's {@code exitcode}. (The JDK reports a death by signal n as 128 + n, the
     * same as {@code System.exit(128 + n)}: such codes are read as signals.)
     *
     * @throws IllegalStateException if it is closed
     */
    public OptionalInt exitCode() {
        requireOpen();
        Process p = process;
        if (p == null || p.isAlive()) {
            return OptionalInt.empty();
        }
        int code = p.exitValue();
        return OptionalInt.of(pythonExitCode(code));
    }

    /** A JDK exit value as Python reports it: death by signal n (128 + n to the JDK) as -n. */
    static int pythonExitCode(int exitValue) {
        return JvmLauncher.pythonExitCode(exitValue);
    }

    /**
     * The process id; empty before {@link #start()}. Python's {@code pid}.
     *
     * @throws IllegalStateException if it is closed
     */
    public OptionalLong pid() {
        if (current) {
            return OptionalLong.of(ProcessHandle.current().pid());
        }
        requireOpen();
        Process p = process;
        return p == null ? OptionalLong.empty() : OptionalLong.of(p.pid());
    }

    /**
     * Sends SIGTERM: the child runs its shutdown hooks and exits. Python's {@code terminate()}.
     * (Through the process's handle: {@code Process.destroy()} would also close the child's
     * standard input, which the child reads as its parent's death.)
     *
     * @throws IllegalStateException if it was never started, or is closed
     */
    public void terminate() {
        started().toHandle().destroy();
    }

    /**
     * Sends SIGKILL. Python's {@code kill()}.
     *
     * @throws IllegalStateException if it was never started, or is closed
     */
    public void kill() {
        started().toHandle().destroyForcibly();
    }

    /**
     * Releases what this object holds of the child (its input pipe, whose end also tells a
     * running child that its parent is gone). Python's {@code close()}. From then on every method
     * throws {@link IllegalStateException}, as Python raises {@code ValueError("process object is
     * closed")}, except the name and the daemon flag, which stay readable and settable as in
     * Python ({@link #name()}, {@link #setName(String)}, {@link #isDaemon()}, and
     * {@link #setDaemon(boolean)} on a process that never started), {@link #toString()}, and
     * {@code close()} itself. Idempotent; a process that never started can be closed too, and
     * then never starts.
     *
     * @throws IllegalStateException if the process is still running, or this is {@link #current()}
     */
    public void close() throws IOException {
        if (current) {
            throw new IllegalStateException("cannot close the current process");
        }
        starting.lock();
        try {
            if (closed) {
                return;
            }
            Process p = process;
            if (p != null && p.isAlive()) {
                throw new IllegalStateException("cannot close a process while it is still running; join() or terminate() it first");
            }
            closed = true;
            if (p != null) {
                p.getOutputStream().close();
            }
        } finally {
            starting.unlock();
        }
    }

    /** The name; in the child, {@link #current()} reports it too. Python's {@code name}. */
    public String name() {
        return name;
    }

    /** Renames the process (only what this object reports; a started child keeps its name). */
    public void setName(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** Whether the program terminates this process at exit instead of waiting for it. Python's {@code daemon}. */
    public boolean isDaemon() {
        return daemon;
    }

    /**
     * Sets the daemon flag.
     *
     * @throws IllegalStateException once the process has started
     */
    public void setDaemon(boolean daemon) {
        if (process != null || current) {
            throw new IllegalStateException("process has already started");
        }
        this.daemon = daemon;
    }

    @Override
    public String toString() {
        if (closed) {
            return "PyProcess[" + name + ", closed]";
        }
        String status = current ? "current" : process == null ? "initial"
                : isAlive() ? "started" : "stopped exitcode=" + exitCode().orElse(0);
        return "PyProcess[" + name + ", " + status + (daemon ? " daemon" : "") + pid().stream()
                .mapToObj(pid -> " pid=" + pid).findFirst().orElse("") + "]";
    }

    private Process started() {
        if (current) {
            throw new IllegalStateException("cannot join or signal the current process");
        }
        requireOpen();
        Process p = process;
        if (p == null) {
            throw new IllegalStateException("can only join or signal a started process");
        }
        return p;
    }

    /** Python's {@code _check_closed}. */
    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("process " + name + " is closed");
        }
    }

    /*
     * Python's atexit handler: terminate daemon children, wait for the others. Unless a signal
     * stops this JVM, before the exit or while it waits: then every child is terminated
     * (SIGTERM, so it runs its own shutdown hooks), and killed if it has not exited within
     * SIGNAL_GRACE, so that a `docker stop` or a systemd restart never waits on a child. Runs
     * before the socket directory goes (see ExitSequence): the children waited for may still
     * connect to this process.
     */
    private static void atExit() {
        List<PyProcess> children = List.copyOf(RUNNING);
        for (PyProcess child : children) {
            if (child.daemon) {
                child.process.toHandle().destroy();
            }
        }
        long killAt = 0; // when a signal has come: when to kill those still running
        try {
            for (PyProcess child : children) {
                while (!child.process.waitFor(SIGNAL_CHECK.toMillis(), TimeUnit.MILLISECONDS)) {
                    if (killAt == 0 && ShutdownCause.signal() != null) {
                        children.forEach(each -> each.process.toHandle().destroy());
                        killAt = System.nanoTime() + SIGNAL_GRACE.toNanos();
                    }
                    if (killAt != 0 && System.nanoTime() - killAt >= 0) {
                        children.forEach(each -> each.process.toHandle().destroyForcibly());
                    }
                }
                child.errors.awaitEnd(LAST_WORDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How often a waiting exit looks for a signal that should end the wait. */
    private static final Duration SIGNAL_CHECK = Duration.ofMillis(100);

    /** How a {@link PyProcess} is made: Python's {@code Process(name=..., daemon=..., target=..., args=...)}. */
    public static final class Builder {

        private String name;
        private boolean daemon;
        private Task target;
        private List<?> args = List.of();
        private final List<String> jvmOptions = new ArrayList<>();
        private final ChildClasspath.Given classes = new ChildClasspath.Given();

        private Builder() {}

        /** The process's name; {@code Process-N} if not given. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Whether it is a daemon process; false if not given. */
        public Builder daemon(boolean daemon) {
            this.daemon = daemon;
            return this;
        }

        /** Options for the child JVM, e.g. {@code -Xmx256m}. */
        public Builder jvmOptions(String... options) {
            jvmOptions.addAll(List.of(options));
            return this;
        }

        /**
         * The child's class path, instead of the one derived from the class loaders of the target
         * and of the code that starts it. It must hold pyloom, its dependencies and the target.
         */
        public Builder classPath(List<Path> entries) {
            classes.classPath(entries);
            return this;
        }

        /** The child's module path, with {@link #classPath(List)}; all its modules are resolved. */
        public Builder modulePath(List<Path> entries) {
            classes.modulePath(entries);
            return this;
        }

        /** The target, without arguments. */
        public Builder target(Task.Run0 target) {
            return target(target, List.of());
        }

        /** The target and its argument. */
        public <A> Builder target(Task.Run1<A> target, A a) {
            return target(target, Collections.singletonList(a));
        }

        /** The target and its two arguments. */
        public <A, B> Builder target(Task.Run2<A, B> target, A a, B b) {
            return target(target, Arrays.asList(a, b));
        }

        /** The target and its three arguments. */
        public <A, B, C> Builder target(Task.Run3<A, B, C> target, A a, B b, C c) {
            return target(target, Arrays.asList(a, b, c));
        }

        private Builder target(Task task, List<?> arguments) {
            this.target = Objects.requireNonNull(task, "target");
            this.args = arguments;
            return this;
        }

        /** Creates the process, unstarted. */
        public PyProcess build() {
            return new PyProcess(this);
        }
    }
}

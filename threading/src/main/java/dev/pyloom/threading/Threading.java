package dev.pyloom.threading;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The module-level functions of Python's {@code threading}: which thread am I, which threads are
 * alive, and what happens to an exception that escapes a thread.
 *
 * <table class="striped">
 *   <caption>Python → pyloom</caption>
 *   <tr><th>Python</th><th>pyloom</th></tr>
 *   <tr><td>{@code threading.current_thread()}</td><td>{@link #currentThread()}</td></tr>
 *   <tr><td>{@code threading.main_thread()}</td><td>{@link #mainThread()}</td></tr>
 *   <tr><td>{@code threading.enumerate()}</td><td>{@link #enumerate()}</td></tr>
 *   <tr><td>{@code threading.active_count()}</td><td>{@link #activeCount()}</td></tr>
 *   <tr><td>{@code threading.get_ident()}</td><td>{@link #getIdent()}</td></tr>
 *   <tr><td>{@code threading.excepthook = hook}</td><td>{@link #setExcepthook(Consumer)}</td></tr>
 *   <tr><td>{@code threading.__excepthook__}</td><td>{@link #defaultExcepthook()}</td></tr>
 * </table>
 */
public final class Threading {

    private Threading() {}

    /** What an exception hook receives: Python's {@code ExceptHookArgs}. */
    public record ExceptHookArgs(Throwable exception, PyThread thread) {
        /** Both are required. */
        public ExceptHookArgs {
            Objects.requireNonNull(exception, "exception");
            Objects.requireNonNull(thread, "thread");
        }
    }

    private static final Consumer<ExceptHookArgs> DEFAULT_EXCEPTHOOK = Threading::printToStandardError;

    private static volatile Consumer<ExceptHookArgs> excepthook = DEFAULT_EXCEPTHOOK;

    /**
     * The PyThread of the calling thread. For a thread this module did not start (and is not the
     * main thread) it is a <em>dummy</em>, as in Python: alive as long as the Java thread,
     * daemon as the Java thread is, named as the Java thread (or {@code Dummy-N}), and not
     * joinable. The same object is returned on every call from the same thread.
     */
    public static PyThread currentThread() {
        return ThreadRegistry.current();
    }

    /** The JVM's main thread, named {@code MainThread}. */
    public static PyThread mainThread() {
        return ThreadRegistry.mainThread();
    }

    /**
     * The live threads: the main thread, every thread started through {@link PyThread} that has
     * not finished (virtual ones included, which {@code Thread.getAllStackTraces()} cannot list),
     * and the dummies of other threads that asked for {@link #currentThread()} and are still
     * alive. Oldest first; a snapshot.
     */
    public static List<PyThread> enumerate() {
        return ThreadRegistry.enumerate();
    }

    /** How many threads {@link #enumerate()} would list. */
    public static int activeCount() {
        return ThreadRegistry.activeCount();
    }

    /** The calling thread's identifier, {@link Thread#threadId()}. */
    public static long getIdent() {
        return Thread.currentThread().threadId();
    }

    /** The hook that handles exceptions escaping a {@link PyThread}'s {@code run()}. */
    public static Consumer<ExceptHookArgs> excepthook() {
        return excepthook;
    }

    /**
     * Replaces the exception hook, for every thread. The hook runs in the thread whose
     * {@code run()} threw. If the hook itself throws, both exceptions are printed to
     * {@code System.err}.
     */
    public static void setExcepthook(Consumer<ExceptHookArgs> hook) {
        excepthook = Objects.requireNonNull(hook, "hook");
    }

    /**
     * The hook installed at start-up, Python's {@code threading.__excepthook__}: prints
     * {@code Exception in thread NAME:} and the stack trace to {@code System.err}, in one write
     * so that reports from several threads do not interleave.
     */
    public static Consumer<ExceptHookArgs> defaultExcepthook() {
        return DEFAULT_EXCEPTHOOK;
    }

    static void reportUncaught(PyThread thread, Throwable failure) {
        try {
            excepthook.accept(new ExceptHookArgs(failure, thread));
        } catch (Throwable hookFailure) {
            System.err.print(describe("Exception in threading.excepthook:", hookFailure));
            printToStandardError(new ExceptHookArgs(failure, thread));
        }
    }

    private static void printToStandardError(ExceptHookArgs args) {
        System.err.print(describe("Exception in thread " + args.thread().name() + ":", args.exception()));
    }

    private static String describe(String headline, Throwable failure) {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        out.println(headline);
        failure.printStackTrace(out);
        out.flush();
        return text.toString();
    }
}

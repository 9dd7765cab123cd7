package dev.pyloom.asyncio.internal;

import dev.pyloom.asyncio.EventLoop;
import dev.pyloom.asyncio.Future;
import java.io.IOException;

/**
 * What the streams and subprocesses need of the core beyond its public API: the few hooks CPython's
 * transports find on the loop object ({@code _add_reader}, {@code call_soon_threadsafe} that may
 * outlive the loop, resources closed with it). The core installs the one implementation as
 * {@link EventLoop} is initialised, the shape of the JDK's {@code SharedSecrets}; this package is
 * not exported, so only pyloom's own packages can reach it.
 */
public interface LoopAccess {

    /** The implementation the core installed. */
    static LoopAccess get() {
        LoopAccess access = Holder.installed;
        if (access == null) {
            try {
                // The core installs it in EventLoop's static initializer.
                Class.forName(EventLoop.class.getName(), true, EventLoop.class.getClassLoader());
            } catch (ClassNotFoundException impossible) {
                throw new IllegalStateException(impossible);
            }
            access = Holder.installed;
        }
        return access;
    }

    /**
     * Installs the implementation; called once, by the core.
     *
     * @throws IllegalStateException if one is installed already
     */
    static void install(LoopAccess access) {
        synchronized (Holder.class) {
            if (Holder.installed != null) {
                throw new IllegalStateException("LoopAccess is installed already");
            }
            Holder.installed = access;
        }
    }

    /**
     * The loop the calling thread runs.
     *
     * @param what the call, for the message
     * @throws IllegalStateException if none
     */
    EventLoop running(String what);

    /**
     * The loop of the calling coroutine.
     *
     * @param what the call, for the message
     * @throws IllegalStateException if the caller is not a coroutine (a callback, another thread)
     */
    EventLoop coroutineLoop(String what);

    /**
     * Suspends the calling coroutine until {@code future} is done. An await point.
     *
     * @param what the call, for the message if the caller is not a coroutine
     * @throws dev.pyloom.asyncio.CancelledException if the task is cancelled meanwhile
     */
    void awaitDone(String what, Future<?> future);

    /** Throws {@link IllegalStateException} unless the calling thread holds {@code loop}'s turn (or it is not running). */
    void requireLoopThread(EventLoop loop, String what);

    /**
     * {@code loop.callSoonThreadsafe(callback)} for helpers that may outlive the loop (I/O pumps,
     * process watchers): returns false, and drops the callback, if the loop is closed.
     */
    boolean callSoonThreadsafeIfOpen(EventLoop loop, Runnable callback);

    /**
     * Makes {@code loop} close {@code resource} as it closes, so that no socket or child
     * outlives it; returns false, having closed it, if the loop is closed already. Any thread.
     */
    boolean remember(EventLoop loop, AutoCloseable resource);

    /** The resource closed itself; the loop need not. Any thread. */
    void forget(EventLoop loop, AutoCloseable resource);

    /** How many sockets, pipes and children {@code loop} would close now: for tests of leaks. */
    int openResources(EventLoop loop);

    /**
     * The loop's one instance of {@code kind}, made by {@code create} on first use and closed with
     * the loop (a loop's I/O selector). Call on the loop.
     *
     * @throws IllegalStateException if the loop is closed
     */
    <R extends AutoCloseable> R attachment(EventLoop loop, Class<R> kind, Factory<R> create) throws IOException;

    /** Makes a loop's attachment. */
    @FunctionalInterface
    interface Factory<R> {
        R create(EventLoop loop) throws IOException;
    }

    /**
     * A child process: a resource the loop kills at once, rather than closes in turn, when the
     * JVM halts on a signal.
     */
    interface ChildProcess extends AutoCloseable {
        @Override
        void close();
    }

    /** Where {@link #install} puts the implementation. */
    final class Holder {
        private static volatile LoopAccess installed;

        private Holder() {}
    }
}

package dev.pyloom.asyncio;

import dev.pyloom.asyncio.internal.LoopAccess;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What an {@link EventLoop} closes as it closes: sockets, servers, pipes and child processes
 * still open, so that none outlives its loop; and the loop's attachments, the one instance of a
 * kind the streams keep per loop (its I/O selector).
 */
final class LoopResources {

    /** Sockets, servers and child processes still open. Any thread. */
    private final Set<AutoCloseable> open = ConcurrentHashMap.newKeySet();
    /** The loop's one instance of a kind; only touched on the loop. */
    private final Map<Class<?>, AutoCloseable> attachments = new HashMap<>();
    private volatile boolean closed;

    /**
     * Closes {@code resource} with the others at {@link #closeAll}, if it is still open then.
     * Returns false, having closed it, if that has happened already. Any thread.
     */
    boolean remember(AutoCloseable resource) {
        open.add(resource);
        if (closed) { // closeAll() may have run before the add: then nobody else will close it
            open.remove(resource);
            closeQuietly(resource);
            return false;
        }
        return true;
    }

    /** The resource closed itself; closeAll need not. Any thread. */
    void forget(AutoCloseable resource) {
        open.remove(resource);
    }

    /**
     * The one instance of {@code kind}, made by {@code create} on first use and closed with the
     * rest. Call on the loop.
     *
     * @throws IllegalStateException if the resources are closed
     */
    <R extends AutoCloseable> R attachment(EventLoop loop, Class<R> kind, LoopAccess.Factory<R> create)
            throws IOException {
        AutoCloseable attached = attachments.get(kind);
        if (attached == null) {
            R made = create.create(loop);
            if (!remember(made)) {
                throw new IllegalStateException("Event loop is closed");
            }
            attachments.put(kind, made);
            attached = made;
        }
        return kind.cast(attached);
    }

    /** Kills the child processes closeAll would kill: the JVM halts next. Any thread. */
    void killChildren() {
        for (AutoCloseable resource : List.copyOf(open)) {
            if (resource instanceof LoopAccess.ChildProcess child) {
                child.close();
            }
        }
    }

    /** How many are open now (for tests of leaks). */
    int count() {
        return open.size();
    }

    /** Closes every resource still open, and any remembered from now on. */
    void closeAll() {
        closed = true;
        for (AutoCloseable resource : List.copyOf(open)) {
            closeQuietly(resource);
        }
        open.clear();
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception ignored) {
            // the loop is closing; there is nobody left to tell
        }
    }
}

package dev.pyloom.cluster.internal;

import com.hazelcast.core.HazelcastInstance;
import dev.pyloom.common.ServiceThreads;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Shuts a driver's Hazelcast client down once the program that made it has ended, so that the
 * program exits, as one with a local pool does (Python terminates its pools at exit).
 *
 * <p>Hazelcast makes every thread of its client a non-daemon thread, whatever the thread that
 * creates it is. A program that returns from {@code main} without closing its pool would
 * otherwise never end. So a daemon thread looks, twice a second, at the thread group the client
 * was made in: once no thread there is left but daemons and Hazelcast's own ({@code hz.…}), the
 * program has ended, and the client is shut down; its threads end, and the JVM exits (running
 * its shutdown hooks, which terminate the pool). Under {@code mvn exec:java} the group is the
 * program's own, whose threads Maven waits for. A client made on a virtual thread is watched
 * against every platform thread of the JVM.
 */
public final class ProgramEnd {

    private static final Duration LOOK = Duration.ofMillis(500);
    private static final Map<HazelcastInstance, ThreadGroup> WATCHED = new ConcurrentHashMap<>();
    private static final ThreadGroup EVERY = root();

    private static Thread watcher; // guarded by ProgramEnd.class

    private ProgramEnd() {}

    /** Watches {@code client}, made on the calling thread: it is shut down when the program that made it ends. */
    public static void watch(HazelcastInstance client) {
        Thread caller = Thread.currentThread();
        WATCHED.put(client, caller.isVirtual() ? EVERY : caller.getThreadGroup());
        synchronized (ProgramEnd.class) {
            if (watcher == null) {
                watcher = ServiceThreads.daemon("pyloom-cluster-program-end").start(ProgramEnd::run);
            }
        }
    }

    /** Stops watching {@code client}: it was shut down. */
    public static void forget(HazelcastInstance client) {
        WATCHED.remove(client);
    }

    private static void run() {
        for (;;) {
            try {
                Thread.sleep(LOOK); // a poll: nothing signals the end of a program's last thread
            } catch (InterruptedException e) {
                return;
            }
            for (Map.Entry<HazelcastInstance, ThreadGroup> watched : WATCHED.entrySet()) {
                if (!watched.getKey().getLifecycleService().isRunning()) {
                    WATCHED.remove(watched.getKey());
                } else if (ended(watched.getValue())) {
                    WATCHED.remove(watched.getKey());
                    watched.getKey().shutdown();
                }
            }
        }
    }

    /** Whether {@code group} holds no thread but daemons, Hazelcast's own and the JVM's DestroyJavaVM. */
    private static boolean ended(ThreadGroup group) {
        Thread[] threads = new Thread[group.activeCount() + 16];
        int count = group.enumerate(threads, true);
        for (int i = 0; i < count; i++) {
            Thread thread = threads[i];
            if (thread.isAlive() && !thread.isDaemon() && !thread.getName().startsWith("hz.")
                    && !thread.getName().equals("DestroyJavaVM")) {
                return false;
            }
        }
        return count < threads.length; // a group that outgrew the array is looked at again next time
    }

    private static ThreadGroup root() {
        ThreadGroup group = Thread.currentThread().getThreadGroup();
        while (group.getParent() != null) {
            group = group.getParent();
        }
        return group;
    }
}

package dev.pyloom.threading;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Which threads are alive, as the module sees them: what {@link Threading#currentThread()},
 * {@link Threading#enumerate()} and {@link Threading#activeCount()} answer from. CPython keeps
 * the same thing in {@code threading._active}.
 *
 * <p>The JDK cannot list virtual threads ({@code Thread.getAllStackTraces()} omits them), so the
 * module registers every thread it starts, at {@code start()}, and removes it when its
 * {@code run()} is over. Two kinds of <em>alien</em> threads join them: the JVM's main thread,
 * found once, and dummies, made for other threads that ask for {@code currentThread()}. Python
 * never forgets its dummies, since it cannot tell when an alien thread ends; Java can
 * ({@link Thread#isAlive()}), so dead aliens are pruned when the registry is listed and, to bound
 * its size, every so often as new dummies arrive.
 */
final class ThreadRegistry {

    private ThreadRegistry() {}

    /** Every live thread the module knows, by its Java thread. */
    private static final Map<Thread, PyThread> LIVE = new ConcurrentHashMap<>();

    private static final PyThread MAIN = registerMainThread();

    /** Dummies registered since the last prune; a prune is due when it passes half the registry. */
    private static final AtomicInteger DUMMIES_SINCE_PRUNE = new AtomicInteger();
    private static final int MIN_DUMMIES_BEFORE_PRUNE = 64;

    private static PyThread registerMainThread() {
        Thread main = findJvmMainThread();
        PyThread pyMain = PyThread.forMainThread(main);
        if (main != null && main.isAlive()) {
            LIVE.put(main, pyMain);
        }
        return pyMain;
    }

    /*
     * The JDK has no API for "the main thread". The launcher's main thread is the platform thread
     * named "main" in the thread group "main"; it is alive whenever a program is still inside its
     * main method, which is when pyloom is first used in almost every program.
     */
    private static Thread findJvmMainThread() {
        Thread current = Thread.currentThread();
        if (isJvmMain(current)) {
            return current;
        }
        for (Thread candidate : Thread.getAllStackTraces().keySet()) {
            if (isJvmMain(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static boolean isJvmMain(Thread thread) {
        ThreadGroup group = thread.getThreadGroup();
        return !thread.isVirtual()
                && "main".equals(thread.getName())
                && group != null
                && "main".equals(group.getName());
    }

    static PyThread mainThread() {
        return MAIN;
    }

    static PyThread current() {
        Thread me = Thread.currentThread();
        PyThread known = LIVE.get(me);
        return known != null ? known : registerDummy(me);
    }

    /** The daemon status a new thread inherits: its creator's, without making a dummy of it. */
    static boolean daemonOfCurrentThread() {
        Thread me = Thread.currentThread();
        PyThread known = LIVE.get(me);
        return known != null ? known.isDaemon() : me.isDaemon();
    }

    private static PyThread registerDummy(Thread alien) {
        // Only `alien` itself can get here for `alien`, so there is no race to register it twice.
        PyThread dummy = PyThread.forAlienThread(alien);
        LIVE.put(alien, dummy);
        if (DUMMIES_SINCE_PRUNE.incrementAndGet() >= Math.max(MIN_DUMMIES_BEFORE_PRUNE, LIVE.size() / 2)) {
            DUMMIES_SINCE_PRUNE.set(0);
            pruneDeadAliens();
        }
        return dummy;
    }

    private static void pruneDeadAliens() {
        LIVE.values().removeIf(thread -> thread.isAlien() && !thread.isAlive());
    }

    /** Live threads, oldest Java thread first (so the main thread leads). */
    static List<PyThread> enumerate() {
        pruneDeadAliens();
        return LIVE.values().stream()
                .filter(PyThread::isAlive)
                .sorted(Comparator.comparingLong(PyThread::ident))
                .toList();
    }

    static int activeCount() {
        pruneDeadAliens();
        return LIVE.size();
    }

    /** How many non-daemon virtual threads keep the JVM alive now: for tests of the bookkeeping. */
    static int keptAlive() {
        return KeepAlive.count();
    }

    /** How many threads are registered, dead aliens included: for tests of the pruning. */
    static int registeredIncludingDead() {
        return LIVE.size();
    }

    /**
     * Called by {@code start()} before the Java thread starts, once the daemon status is frozen.
     * Either registers the thread completely or, if the keep-alive thread cannot be started,
     * throws having registered nothing.
     */
    static void register(PyThread thread) {
        LIVE.put(thread.javaThread(), thread);
        if (thread.isVirtual() && !thread.isDaemon()) {
            try {
                KeepAlive.threadStarted();
            } catch (Throwable couldNotKeepAlive) {
                LIVE.remove(thread.javaThread());
                throw couldNotKeepAlive;
            }
        }
    }

    /** Called when the thread's {@code run()} is over, or its start failed. */
    static void unregister(PyThread thread) {
        LIVE.remove(thread.javaThread());
        if (thread.isVirtual() && !thread.isDaemon()) {
            KeepAlive.threadEnded();
        }
    }

    /**
     * Keeps the JVM running while a non-daemon virtual PyThread is alive.
     *
     * <p>The JVM exits when its last non-daemon <em>platform</em> thread ends; every virtual
     * thread counts as a daemon. Python waits for every non-daemon thread before the program
     * ends. To mean the same, one non-daemon platform thread, {@code pyloom-keepalive}, lives
     * exactly while at least one non-daemon virtual PyThread does. Platform PyThreads need none
     * of this: their daemon flag is the JVM's.
     */
    private static final class KeepAlive {

        private static final ReentrantLock LOCK = new ReentrantLock();
        private static final java.util.concurrent.locks.Condition NONE_LEFT = LOCK.newCondition();
        private static int alive;            // non-daemon virtual PyThreads running; guarded by LOCK
        private static boolean keeperRunning; // guarded by LOCK

        static void threadStarted() {
            LOCK.lock();
            try {
                if (!keeperRunning) {
                    // May throw (no memory for a platform thread): then nothing has changed.
                    Thread.ofPlatform().name("pyloom-keepalive").daemon(false).start(KeepAlive::keep);
                    keeperRunning = true; // the keeper cannot look before we unlock
                }
                alive++;
            } finally {
                LOCK.unlock();
            }
        }

        static int count() {
            LOCK.lock();
            try {
                return alive;
            } finally {
                LOCK.unlock();
            }
        }

        static void threadEnded() {
            LOCK.lock();
            try {
                if (--alive == 0) {
                    NONE_LEFT.signal();
                }
            } finally {
                LOCK.unlock();
            }
        }

        /* The keeper leaves only when it sees zero under the lock, so a thread started while it
         * is on its way out either finds it still running (and it waits on) or finds
         * keeperRunning false and starts a new one. */
        private static void keep() {
            LOCK.lock();
            try {
                while (alive > 0) {
                    NONE_LEFT.awaitUninterruptibly();
                }
                keeperRunning = false;
            } finally {
                LOCK.unlock();
            }
        }
    }
}

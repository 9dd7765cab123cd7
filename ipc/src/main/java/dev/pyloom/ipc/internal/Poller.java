package dev.pyloom.ipc.internal;

import dev.pyloom.common.ServiceThreads;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * Where a reader or a writer of a pyloom socket waits for it to be ready.
 *
 * <p>A waiting thread borrows a selector from a pool, registers the socket, selects (a virtual
 * thread parks meanwhile, as in a blocking read), and gives the selector back once the socket is
 * deregistered: as few system calls as a blocking read's, on the waiting thread alone. A
 * selector costs two file descriptors, so the pool stops at {@value #POOLED_SELECTORS}; beyond
 * that many threads waiting at once, a waiter parks on one selector shared by the whole process,
 * run by a daemon thread (a hop more per wait, and no descriptor at all):
 *
 * <pre>
 *   waiting thread                          poller thread
 *   ---------------                         -------------
 *   await(socket, READ):
 *     queue a Waiter, wake the selector --&gt;  takes the Waiter: interest in READ on the socket's key
 *     park                                   select() ... the socket is readable:
 *                                     &lt;--    mark the Waiter done, unpark its thread, drop the interest
 *     done: read again
 * </pre>
 *
 * <p>On JDK 21 to 24 a virtual thread in {@code select} holds its carrier (the scheduler adds a
 * carrier meanwhile, up to 256); the pool's size keeps those within that bound, and waiters
 * beyond it park without holding anything.
 *
 * <p>A waiter that gives up (its time ran out, it was interrupted, its socket was closed) marks
 * itself cancelled; the poller drops its interest when it next sees the socket ready, so a socket
 * nobody reads never keeps the poller busy. Closing a socket must be followed by
 * {@link #forget()}: a socket registered with a selector is closed for real (its peer sees the
 * end of the stream) only when the selector next selects.
 */
public final class Poller {

    /** The logger, found when first needed: finding one starts the JDK's logging, which every wait would pay for. */
    private static System.Logger log() {
        return System.getLogger("dev.pyloom.ipc");
    }

    /** One thread that waits for a socket to be ready, and whether it still does. */
    static final class Waiter {
        private final Thread thread = Thread.currentThread();
        private final SocketChannel socket;
        private final int op;
        private volatile boolean done;
        private volatile boolean cancelled;

        private Waiter(SocketChannel socket, int op) {
            this.socket = socket;
            this.op = op;
        }

        /** Ends the wait, whatever its outcome: the socket is ready, closed, or the poller failed it. */
        void wake() {
            done = true;
            LockSupport.unpark(thread);
        }

        private boolean waiting() {
            return !done && !cancelled;
        }
    }

    /** The waiters of one socket, at most one per direction (readers and writers each take turns). */
    private static final class Registration {
        Waiter reader;
        Waiter writer;

        int interest() {
            return (reader != null && reader.waiting() ? SelectionKey.OP_READ : 0)
                    | (writer != null && writer.waiting() ? SelectionKey.OP_WRITE : 0);
        }
    }

    /** The shared selector's poller; null until opened (at the first wait, or later if that failed). */
    private static volatile Poller shared;

    /** Selectors the pool opens at most: 2 descriptors each. */
    public static final int POOLED_SELECTORS = 256;

    private static final java.util.concurrent.ConcurrentLinkedDeque<Selector> IDLE = new java.util.concurrent.ConcurrentLinkedDeque<>();
    private static final java.util.concurrent.atomic.AtomicInteger OPENED = new java.util.concurrent.atomic.AtomicInteger();

    private final Selector selector;
    private final Queue<Waiter> arriving = new ConcurrentLinkedQueue<>();
    private volatile Thread thread;

    private Poller() throws IOException {
        selector = Selector.open();
    }

    /*
     * The thread starts with the first overflowing wait, not with the selector: a thread blocked
     * in a system call when the JVM exits holds the exit up by 300 ms (HotSpot waits for threads
     * in native code), and most programs never have more than the pool's waiters at once.
     */
    private void running() {
        if (thread == null) {
            synchronized (this) {
                if (thread == null) {
                    thread = ServiceThreads.daemon("pyloom-ipc-poller").start(this::run);
                }
            }
        }
    }

    /**
     * Parks the calling thread until {@code socket} is ready for {@code op}
     * ({@link SelectionKey#OP_READ} or {@link SelectionKey#OP_WRITE}), {@code nanos} have passed
     * ({@code Long.MAX_VALUE}: no limit), the thread is interrupted, or the socket is closed.
     * Callers look at the socket again afterwards: readiness is a hint, not a promise. While it
     * waits, the thread is in {@code slot}, where a close from another thread wakes it.
     */
    static void await(SocketChannel socket, int op, long nanos, WaiterSlot slot) throws IOException {
        Poller overflow = shared(); // opened at the first wait, while descriptors are there to open it
        Selector selector = borrow();
        if (selector == null) {
            overflow.park(socket, op, nanos, slot);
            return;
        }
        boolean reusable = false;
        slot.selector = selector;
        try {
            if (!socket.isOpen()) {
                reusable = true;
                return; // a close that came before the slot was filled
            }
            SelectionKey key;
            try {
                key = socket.register(selector, op);
            } catch (ClosedChannelException | CancelledKeyException closed) {
                reusable = true;
                return; // the caller finds the socket closed
            }
            try {
                long millis = nanos == Long.MAX_VALUE ? 0 // forever
                        : Math.max(1, nanos / 1_000_000 + (nanos % 1_000_000 == 0 ? 0 : 1));
                selector.select(ready -> {}, millis);
            } finally {
                key.cancel();
                selector.selectNow(); // deregisters the socket (a closed one is closed for real only then), and clears a wakeup
                reusable = true;
            }
        } catch (IOException brokenSelector) {
            // Dropped (closing it deregisters the socket); the caller looks at its socket again
            // and waits anew on another selector.
            log().log(Level.DEBUG, "dropped a selector that failed", brokenSelector);
        } finally {
            slot.selector = null;
            giveBack(selector, reusable);
        }
    }

    /**
     * An idle pooled selector, or a new one while the pool is below its size; null beyond, or if
     * none can be opened (out of file descriptors): the shared selector needs none.
     */
    private static Selector borrow() {
        Selector selector = IDLE.pollFirst();
        if (selector != null) {
            return selector;
        }
        if (OPENED.incrementAndGet() > POOLED_SELECTORS) {
            OPENED.decrementAndGet();
            return null;
        }
        try {
            return Selector.open();
        } catch (IOException outOfDescriptors) {
            OPENED.decrementAndGet();
            return null;
        }
    }

    private static void giveBack(Selector selector, boolean reusable) {
        if (reusable && selector.isOpen()) {
            IDLE.addFirst(selector); // the most recently used first: its pages are warm
            return;
        }
        OPENED.decrementAndGet();
        try {
            selector.close();
        } catch (IOException ignored) {
            // a selector that failed is dropped either way
        }
    }

    /** Lets the shared selector release the sockets closed since it last looked. */
    static void forget() {
        Poller poller = shared;
        if (poller != null) {
            poller.selector.wakeup();
        }
    }

    private static Poller shared() throws IOException {
        Poller poller = shared;
        if (poller == null) {
            synchronized (Poller.class) {
                if ((poller = shared) == null) {
                    shared = poller = new Poller();
                }
            }
        }
        return poller;
    }

    /** Where a socket's owner keeps the wait of one direction, so that closing can end it. */
    static final class WaiterSlot {
        private volatile Waiter current;
        private volatile Selector selector;

        /** Wakes the thread waiting in this slot, if any. */
        void wakeUp() {
            Waiter waiter = current;
            if (waiter != null) {
                waiter.wake();
            }
            Selector pooled = selector;
            if (pooled != null) {
                pooled.wakeup(); // a stale wakeup is cleared when the selector is given back
            }
        }
    }

    private void park(SocketChannel socket, int op, long nanos, WaiterSlot slot) {
        Waiter waiter = new Waiter(socket, op);
        slot.current = waiter;
        try {
            if (!socket.isOpen()) {
                return; // a close that came before the slot was filled
            }
            running();
            arriving.add(waiter);
            selector.wakeup();
            long deadline = System.nanoTime() + nanos;
            while (!waiter.done && socket.isOpen() && !Thread.currentThread().isInterrupted()) {
                if (nanos == Long.MAX_VALUE) {
                    LockSupport.park(this);
                } else {
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0) {
                        break;
                    }
                    LockSupport.parkNanos(this, remaining);
                }
            }
        } finally {
            waiter.cancelled = true;
            slot.current = null;
        }
    }

    private void run() {
        for (;;) {
            Thread.interrupted(); // nothing of pyloom's interrupts it: a stray interrupt must not make select() spin
            try {
                selector.select(this::ready);
                for (Waiter waiter; (waiter = arriving.poll()) != null;) {
                    register(waiter);
                }
            } catch (Throwable unexpected) {
                // Never silently: a poller that stopped would leave every wait in the process hanging.
                log().log(Level.ERROR, "pyloom's socket poller failed; waking every waiting thread", unexpected);
                wakeEveryone();
            }
        }
    }

    private void register(Waiter waiter) {
        if (!waiter.waiting()) {
            return;
        }
        try {
            SelectionKey key = waiter.socket.keyFor(selector);
            if (key == null) {
                key = waiter.socket.register(selector, 0, new Registration());
            }
            Registration registration = (Registration) key.attachment();
            if (waiter.op == SelectionKey.OP_READ) {
                registration.reader = waiter;
            } else {
                registration.writer = waiter;
            }
            key.interestOps(registration.interest());
        } catch (ClosedChannelException | CancelledKeyException closed) {
            waiter.wake(); // it finds the socket closed
        }
    }

    private void ready(SelectionKey key) {
        Registration registration = (Registration) key.attachment();
        try {
            int ready = key.readyOps();
            if ((ready & SelectionKey.OP_READ) != 0 && registration.reader != null) {
                wakeIfWaiting(registration.reader);
                registration.reader = null;
            }
            if ((ready & SelectionKey.OP_WRITE) != 0 && registration.writer != null) {
                wakeIfWaiting(registration.writer);
                registration.writer = null;
            }
            key.interestOps(registration.interest());
        } catch (CancelledKeyException closed) {
            wake(registration);
        }
    }

    private void wakeEveryone() {
        for (Waiter waiter; (waiter = arriving.poll()) != null;) {
            waiter.wake();
        }
        try {
            for (SelectionKey key : selector.keys()) {
                wake((Registration) key.attachment());
            }
        } catch (RuntimeException e) {
            // the key set changed under us; the waiters of those keys look at their sockets when they next wake
        }
    }

    private static void wake(Registration registration) {
        if (registration.reader != null) {
            wakeIfWaiting(registration.reader);
        }
        if (registration.writer != null) {
            wakeIfWaiting(registration.writer);
        }
    }

    /** Wakes a waiter that still waits (one that gave up is doing something else: no stray unpark for it). */
    private static void wakeIfWaiting(Waiter waiter) {
        if (waiter.waiting()) {
            waiter.wake();
        }
    }
}

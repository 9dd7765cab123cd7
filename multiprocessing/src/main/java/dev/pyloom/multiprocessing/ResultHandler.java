package dev.pyloom.multiprocessing;

import dev.pyloom.common.ServiceThreads;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The pool's one result-handler thread, Python's {@code _handle_results}, where callbacks run:
 * one at a time, in the order their outcomes were posted, which is the order the tasks
 * completed in. A callback that throws is reported (logged, with its task) and the handler goes
 * on: CPython's handler thread dies in that case, and the pool with it.
 */
final class ResultHandler {

    private static final System.Logger LOG = System.getLogger("dev.pyloom.multiprocessing");
    private static final Runnable STOP = () -> {};

    private final LinkedBlockingQueue<Runnable> deliveries = new LinkedBlockingQueue<>();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final Thread thread;
    private final java.util.Set<Thread> places = java.util.concurrent.ConcurrentHashMap.newKeySet();

    ResultHandler(String poolName) {
        this.thread = ServiceThreads.daemon(poolName + "-results").start(this::run);
    }

    /** Queues a delivery; deliveries run in the order they were posted. */
    void post(Runnable delivery) {
        deliveries.add(delivery);
        if (stopped.get() && deliveries.remove(delivery)) {
            delivery.run(); // too late for the thread, which has ended or is ending: run it here
        }
    }

    /** Runs a callback, reporting (not propagating) what it throws. */
    static void runCallback(String what, Object task, Runnable callback) {
        try {
            callback.run();
        } catch (Throwable failure) {
            LOG.log(Level.ERROR, what + " of task " + task + " threw; the pool carries on", failure);
        }
    }

    /** Lets the thread finish the deliveries already posted, then end. Idempotent. */
    void stop() {
        if (stopped.compareAndSet(false, true)) {
            deliveries.add(STOP);
        }
    }

    /** Waits until the thread has ended (at once when called from it, in a callback). */
    void awaitStopped() throws InterruptedException {
        if (!isHandlerThread()) {
            thread.join();
        }
    }

    /** {@link #awaitStopped()}, waiting at most {@code timeout}; whether the thread has ended (or is the caller). */
    boolean awaitStopped(Duration timeout) throws InterruptedException {
        return isHandlerThread() || thread.join(timeout);
    }

    /** Whether the thread has ended. */
    boolean hasStopped() {
        return !thread.isAlive();
    }

    /** Whether the caller is the handler thread, that is, inside a callback. */
    boolean isHandlerThread() {
        return Thread.currentThread() == thread;
    }

    /**
     * Marks the calling thread as one of the pool's places, where results are completed (and so
     * where stages composed on them without an executor run).
     */
    void registerPlace() {
        places.add(Thread.currentThread());
    }

    /**
     * Whether the caller is one of the pool's own threads, the handler's or a place's: waiting
     * there for a result of the pool could wait forever, for the thread that would deliver it.
     */
    boolean isPoolThread() {
        return isHandlerThread() || isPlaceThread();
    }

    /** Whether the caller is one of the pool's places. */
    boolean isPlaceThread() {
        return places.contains(Thread.currentThread());
    }

    private void run() {
        for (;;) {
            Runnable delivery;
            try {
                delivery = deliveries.take();
            } catch (InterruptedException e) {
                return;
            }
            if (delivery == STOP) {
                return;
            }
            try {
                delivery.run();
            } catch (Throwable unexpected) {
                LOG.log(Level.ERROR, "delivering a pool result failed", unexpected);
            }
        }
    }
}

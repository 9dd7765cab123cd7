package dev.pyloom.ipc;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where a queue's items actually are: in the process that created the queue, as encoded JSON.
 * Local puts and gets, and the sessions serving other processes, all meet here. A blocking
 * queue in the java.util.concurrent manner (one lock, three conditions), plus Python's
 * JoinableQueue accounting.
 */
final class QueueStore {

    /** Waiting without a deadline. */
    static final long FOREVER = -1;

    final int maxsize;       // 0: unbounded, as in Python
    final boolean joinable;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final Condition allDone = lock.newCondition();
    private final ArrayDeque<byte[]> items = new ArrayDeque<>(); // guarded by lock
    private long unfinished;                                      // items put and not yet taskDone'd; guarded by lock

    QueueStore(int maxsize, boolean joinable) {
        this.maxsize = maxsize;
        this.joinable = joinable;
    }

    /**
     * Waits on {@code condition} (the lock held) for at most {@code nanos}, or without limit for
     * {@link #FOREVER}; returns the time left, which is zero or less once it has run out.
     */
    private static long await(Condition condition, long nanos) throws InterruptedException {
        if (nanos == FOREVER) {
            condition.await();
            return FOREVER;
        }
        return nanos <= 0 ? nanos : condition.awaitNanos(nanos);
    }

    private static boolean timedOut(long nanos) {
        return nanos != FOREVER && nanos <= 0;
    }

    /** Appends {@code item}, waiting up to {@code nanos} (or {@link #FOREVER}) for room; false if none came. */
    boolean put(byte[] item, long nanos) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (maxsize > 0 && items.size() >= maxsize) {
                if (timedOut(nanos)) {
                    return false;
                }
                nanos = await(notFull, nanos);
            }
            items.addLast(item);
            unfinished++;
            notEmpty.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Appends several items at once, as they arrived together from one producer: one lock, one
     * wake-up. Waits for room item by item in a bounded queue.
     */
    void putAll(List<byte[]> batch) throws InterruptedException {
        if (maxsize > 0) {
            for (byte[] item : batch) {
                put(item, FOREVER);
            }
            return;
        }
        lock.lockInterruptibly();
        try {
            items.addAll(batch);
            unfinished += batch.size();
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Removes the oldest item, waiting up to {@code nanos} (or {@link #FOREVER}); null if none came. */
    byte[] takeOne(long nanos) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (items.isEmpty()) {
                if (timedOut(nanos)) {
                    return null;
                }
                nanos = await(notEmpty, nanos);
            }
            byte[] item = items.removeFirst();
            if (maxsize > 0) {
                notFull.signal();
            }
            if (!items.isEmpty()) {
                notEmpty.signal();
            }
            return item;
        } finally {
            lock.unlock();
        }
    }

    /** Puts back items that could not be delivered, at the front and in their order. */
    void returnToFront(List<byte[]> returned) {
        lock.lock();
        try {
            for (int i = returned.size() - 1; i >= 0; i--) {
                items.addFirst(returned.get(i));
            }
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return items.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Marks one item's work done. Python's {@code task_done()}.
     *
     * @throws IllegalArgumentException if called more times than items were put (Python's ValueError)
     */
    void taskDone() {
        lock.lock();
        try {
            if (unfinished <= 0) {
                throw new IllegalArgumentException("task_done() called too many times");
            }
            if (--unfinished == 0) {
                allDone.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits up to {@code nanos} (or {@link #FOREVER}) until every item put has been marked done.
     * Python's {@code join()}. Returns whether that happened in time.
     */
    boolean awaitAllDone(long nanos) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (unfinished > 0) {
                if (timedOut(nanos)) {
                    return false;
                }
                nanos = await(allDone, nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}

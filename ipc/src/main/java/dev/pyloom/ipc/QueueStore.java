package dev.pyloom.ipc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where a queue's items actually are: in the process that created the queue, as encoded JSON.
 * Local puts and gets, and the sessions serving other processes, all meet here. A blocking
 * queue in the java.util.concurrent manner (one lock, three conditions), plus Python's
 * JoinableQueue accounting.
 *
 * <p><b>Deliveries.</b> An item sent to a consumer in another process stays the store's
 * ({@link #delivered}) until the consumer acknowledges taking it ({@link #took}), which it does
 * before its get returns: a consumer that closes or dies gives back exactly what it had not
 * taken ({@link #givenBack}, {@link #consumerGone}), to the front and in order. Until then those
 * items count in {@link #size()} and take room in a bounded queue.
 *
 * <p><b>Loans.</b> While another process is the queue's only consumer (the owner has taken
 * nothing, no other process has asked for an item), a request of that consumer gets every item
 * waiting, up to {@value #LOAN_ITEMS} items or {@value #LOAN_BYTES} bytes, on loan: it takes
 * them one by one without a round trip. As soon as anyone else asks for an item, the loan is
 * recalled ({@link Borrower#recall()}), and that taker waits until the borrower has given back
 * what it had not taken, so every consumer still sees each producer's order, and no item waits
 * in one process while another asks for it. A taker waits for a recall at least
 * {@link #RECALL_PATIENCE_NANOS}, even with a shorter timeout: the items are in the queue.
 *
 * <pre>
 *   no loan --(the only consumer asks)--&gt; lent --(anyone else asks: recall)--&gt; recalling
 *      ^                                    |                                     |
 *      +------(the borrower gives back, or its connection ends)-------------------+
 * </pre>
 */
final class QueueStore {

    /** Waiting without a deadline. */
    static final long FOREVER = -1;

    /** The most items lent at once. */
    static final int LOAN_ITEMS = 512;

    /** The most bytes lent at once (one item is lent whatever its size). */
    static final int LOAN_BYTES = 1 << 20;

    /** How long a taker waits for a recalled loan to come back, at least: its own timeout may be shorter. */
    static final long RECALL_PATIENCE_NANOS = 1_000_000_000;

    /** A consumer in another process, as the store sees it: the session that serves it. */
    interface Borrower {
        /** Asks the consumer to give back what it was lent and has not taken; must not wait. */
        void recall();
    }

    /** What a consumer's request got: items, and whether they are on loan. */
    record Delivery(List<byte[]> items, boolean lent) {}

    final int maxsize;       // 0: unbounded, as in Python
    final boolean joinable;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final Condition allDone = lock.newCondition();
    private final ArrayDeque<byte[]> items = new ArrayDeque<>(); // guarded by lock
    private long unfinished;                                      // items put and not yet taskDone'd; guarded by lock

    /* Deliveries and loans; all guarded by lock. borrower != null while a loan is open, empty or not. */
    private final Set<Borrower> consumers = new HashSet<>();                    // other processes that have asked for items
    private final Map<Borrower, ArrayDeque<byte[]>> delivered = new HashMap<>(); // sent, not yet acknowledged, in order
    private int deliveredCount;
    private boolean ownerConsumes;                                               // this process has taken an item itself
    private Borrower borrower;
    private boolean recalling;

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
            while (maxsize > 0 && items.size() + deliveredCount >= maxsize) {
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
            ownerConsumes = true;
            return awaitTurn(null, nanos) ? removeFirst() : null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * What the request of a consumer in another process gets, waiting up to {@code nanos} (or
     * {@link #FOREVER}) for an item; null if none came, or if this consumer's loan is being
     * recalled (it asks again once it has given back). The items stay the store's until the
     * consumer acknowledges them.
     */
    Delivery takeFor(Borrower consumer, long nanos) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            consumers.add(consumer);
            if (!awaitTurn(consumer, nanos)) {
                return null;
            }
            List<byte[]> batch;
            boolean lent = !ownerConsumes && consumers.size() == 1;
            if (lent) {
                borrower = consumer;
                batch = new ArrayList<>();
                long bytes = 0;
                while (!items.isEmpty() && batch.size() < LOAN_ITEMS
                        && (batch.isEmpty() || bytes + items.peekFirst().length <= LOAN_BYTES)) {
                    bytes += items.peekFirst().length;
                    batch.add(removeFirst());
                }
            } else {
                batch = List.of(removeFirst());
            }
            delivered.computeIfAbsent(consumer, c -> new ArrayDeque<>()).addAll(batch);
            deliveredCount += batch.size();
            return new Delivery(batch, lent);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the front item may go to {@code taker} (null: this process), recalling a loan
     * of someone else's on the way. False if the time ran out, or if the taker's own loan is being
     * recalled. Lock held.
     */
    private boolean awaitTurn(Borrower taker, long nanos) throws InterruptedException {
        long start = System.nanoTime();
        for (;;) {
            if (taker != null && borrower == taker && recalling) {
                return false;
            }
            long limit = nanos;
            if (borrower != null && borrower != taker) {
                recall();
                limit = nanos == FOREVER ? FOREVER : Math.max(nanos, RECALL_PATIENCE_NANOS);
            } else if (!items.isEmpty()) {
                return true;
            }
            if (limit == FOREVER) {
                notEmpty.await();
                continue;
            }
            long left = limit - (System.nanoTime() - start);
            if (left <= 0) {
                return false;
            }
            notEmpty.awaitNanos(left);
        }
    }

    /** The front item; lock held, items not empty. */
    private byte[] removeFirst() {
        byte[] item = items.removeFirst();
        if (maxsize > 0) {
            notFull.signal();
        }
        if (!items.isEmpty()) {
            notEmpty.signal();
        }
        return item;
    }

    /** Asks the borrower to give its loan back, once; lock held. Wakes its own request, if it waits here. */
    private void recall() {
        if (!recalling) {
            recalling = true;
            borrower.recall();
            notEmpty.signalAll();
        }
    }

    /**
     * The consumer took the oldest item delivered to it.
     *
     * @throws IllegalStateException if nothing delivered to it is left (the two sides disagree)
     */
    void took(Borrower consumer) {
        lock.lock();
        try {
            ArrayDeque<byte[]> out = delivered.get(consumer);
            if (out == null || out.isEmpty()) {
                throw new IllegalStateException("acknowledged an item it was never sent");
            }
            out.removeFirst();
            deliveredCount--;
            if (maxsize > 0) {
                notFull.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The consumer gave back the {@code count} items it had not taken (answering a recall, or
     * closing): all that was delivered to it and not acknowledged, which goes back to the front.
     * Ends its loan, if it had one.
     *
     * @throws IllegalStateException if the count is not what it has not acknowledged
     */
    void givenBack(Borrower consumer, int count) {
        lock.lock();
        try {
            ArrayDeque<byte[]> out = delivered.get(consumer);
            int outstanding = out == null ? 0 : out.size();
            if (count != outstanding) {
                throw new IllegalStateException("gave back " + count + " items of the " + outstanding + " it was sent and had not taken");
            }
            takeBack(consumer);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes back the last {@code count} items delivered to the consumer, which were never sent:
     * its session had recalled the loan first. They go to the front; the rest of the loan, given
     * back later, goes in front of them.
     */
    void unlend(Borrower consumer, int count) {
        lock.lock();
        try {
            ArrayDeque<byte[]> out = delivered.get(consumer);
            for (int i = 0; i < count; i++) {
                items.addFirst(out.removeLast());
            }
            deliveredCount -= count;
        } finally {
            lock.unlock();
        }
    }

    /** The consumer's connection ended: it is no longer a consumer, and what it was sent and never acknowledged comes back. */
    void consumerGone(Borrower consumer) {
        lock.lock();
        try {
            consumers.remove(consumer);
            takeBack(consumer);
        } finally {
            lock.unlock();
        }
    }

    /** What was delivered to the consumer and not acknowledged, back at the front in order, and its loan ended; lock held. */
    private void takeBack(Borrower consumer) {
        ArrayDeque<byte[]> out = delivered.remove(consumer);
        if (out != null) {
            deliveredCount -= out.size();
            while (!out.isEmpty()) {
                items.addFirst(out.removeLast());
            }
        }
        if (borrower == consumer) {
            borrower = null;
            recalling = false;
        }
        notEmpty.signalAll();
    }

    /** The items in the queue: here, or sent to a consumer that has not yet taken them. */
    int size() {
        lock.lock();
        try {
            return items.size() + deliveredCount;
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

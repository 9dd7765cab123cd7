package dev.pyloom.ipc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where a queue's items actually are: in the process that created the queue, as encoded JSON.
 * Local puts and gets, and the sessions serving other processes, all meet here. A blocking
 * queue in the java.util.concurrent manner (one lock, three conditions), plus Python's
 * JoinableQueue accounting.
 *
 * <p><b>Loans.</b> While another process is the queue's only consumer (the owner has taken
 * nothing, no other process has asked for an item), a request of that consumer gets every item
 * waiting, up to {@value #LOAN_ITEMS} items or {@value #LOAN_BYTES} bytes, on loan: it takes
 * them one by one without a round trip, acknowledging each ({@link #took}). As soon as anyone
 * else asks for an item, the loan is recalled ({@link Borrower#recall()}), and that taker waits
 * until the borrower has given back what it had not taken ({@link #givenBack}): the items go
 * back to the front in their order, so every consumer still sees each producer's order, and no
 * item waits in one process while another asks for it. A borrower whose connection ends gives
 * back what it had not acknowledged ({@link #consumerGone}).
 *
 * <pre>
 *   no loan --(the only consumer asks)--&gt; lent --(anyone else asks: recall)--&gt; recalling
 *      ^                                    |                                     |
 *      +------(the borrower's connection ends, or it gives back)------------------+
 * </pre>
 *
 * Lent items still take room in a bounded queue until they are taken, but not in
 * {@link #size()}: an item on loan is on its way to its consumer, which counts it itself.
 */
final class QueueStore {

    /** Waiting without a deadline. */
    static final long FOREVER = -1;

    /** The most items lent at once. */
    static final int LOAN_ITEMS = 512;

    /** The most bytes lent at once (one item is lent whatever its size). */
    static final int LOAN_BYTES = 1 << 20;

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

    /* Loans; all guarded by lock. borrower != null while a loan is open, empty or not. */
    private final Set<Borrower> consumers = new HashSet<>(); // other processes that have asked for items
    private boolean ownerConsumes;                           // this process has taken an item itself
    private Borrower borrower;
    private final ArrayDeque<byte[]> loan = new ArrayDeque<>(); // lent and not yet acknowledged, in order
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
            while (maxsize > 0 && items.size() + loan.size() >= maxsize) {
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
            for (;;) {
                if (borrower != null) {
                    recall();
                } else if (!items.isEmpty()) {
                    return removeFirst();
                }
                if (timedOut(nanos)) {
                    return null;
                }
                nanos = await(notEmpty, nanos);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * What the request of a consumer in another process gets, waiting up to {@code nanos} (or
     * {@link #FOREVER}) for an item; null if none came, or if this consumer's loan is being
     * recalled (it asks again once it has given back).
     */
    Delivery takeFor(Borrower consumer, long nanos) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            consumers.add(consumer);
            for (;;) {
                if (borrower == consumer && recalling) {
                    return null;
                }
                if (borrower != null && borrower != consumer) {
                    recall();
                } else if (!items.isEmpty()) {
                    break;
                }
                if (timedOut(nanos)) {
                    return null;
                }
                nanos = await(notEmpty, nanos);
            }
            if (ownerConsumes || consumers.size() > 1) {
                return new Delivery(List.of(removeFirst()), false);
            }
            borrower = consumer;
            List<byte[]> lent = new ArrayList<>();
            long bytes = 0;
            while (!items.isEmpty() && lent.size() < LOAN_ITEMS
                    && (lent.isEmpty() || bytes + items.peekFirst().length <= LOAN_BYTES)) {
                byte[] item = items.removeFirst();
                bytes += item.length;
                lent.add(item);
            }
            loan.addAll(lent);
            return new Delivery(lent, true);
        } finally {
            lock.unlock();
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
     * The borrower took the oldest {@code count} items of its loan.
     *
     * @throws IllegalStateException if it has no loan that large (the two sides disagree)
     */
    void took(Borrower consumer, int count) {
        lock.lock();
        try {
            if (borrower != consumer || count > loan.size()) {
                throw new IllegalStateException("acknowledged " + count + " items of a loan of "
                        + (borrower == consumer ? loan.size() : 0));
            }
            for (int i = 0; i < count; i++) {
                loan.removeFirst();
            }
            if (maxsize > 0) {
                notFull.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The borrower gave back the {@code count} items it had not taken: the rest of its loan,
     * which goes back to the front. A consumer without a loan gives back nothing (its answer to a
     * recall that crossed its own giving back).
     *
     * @throws IllegalStateException if the count is not what is left of its loan
     */
    void givenBack(Borrower consumer, int count) {
        lock.lock();
        try {
            if (borrower != consumer) {
                if (count != 0) {
                    throw new IllegalStateException("gave back " + count + " items without a loan");
                }
                return;
            }
            if (count != loan.size()) {
                throw new IllegalStateException("gave back " + count + " items of a loan of " + loan.size());
            }
            endLoan();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes back the last {@code count} items lent, which were never sent: the borrower's session
     * had recalled the loan before it could send them. They go to the front; the rest of the loan,
     * given back later, goes in front of them.
     */
    void unlend(Borrower consumer, int count) {
        lock.lock();
        try {
            if (borrower != consumer || count > loan.size()) {
                throw new IllegalStateException("unlent " + count + " items of a loan of "
                        + (borrower == consumer ? loan.size() : 0));
            }
            for (int i = 0; i < count; i++) {
                items.addFirst(loan.removeLast());
            }
        } finally {
            lock.unlock();
        }
    }

    /** The consumer's connection ended: it is no longer a consumer, and what it had on loan and never acknowledged comes back. */
    void consumerGone(Borrower consumer) {
        lock.lock();
        try {
            consumers.remove(consumer);
            if (borrower == consumer) {
                endLoan();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The rest of the loan back at the front, in order; lock held. */
    private void endLoan() {
        while (!loan.isEmpty()) {
            items.addFirst(loan.removeLast());
        }
        borrower = null;
        recalling = false;
        notEmpty.signalAll();
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

package dev.pyloom.asyncio.queues;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import dev.pyloom.asyncio.CancelledException;
import dev.pyloom.asyncio.locks.Event;
import dev.pyloom.asyncio.EventLoop;
import dev.pyloom.asyncio.Future;
import dev.pyloom.asyncio.LoopBound;

/**
 * A first-in, first-out queue between coroutines: Python's {@code asyncio.Queue}.
 *
 * <p>{@link #put} suspends the coroutine while the queue is full (if it has a {@code maxsize});
 * {@link #get} suspends it while the queue is empty. {@link #putNowait} and {@link #getNowait}
 * never wait: they throw {@link QueueFullException} and {@link QueueEmptyException}.
 * {@link #taskDone} and {@link #join} count the items consumers have finished with, and
 * {@link #shutdown} closes the queue. {@link PriorityQueue} and {@link LifoQueue} take items out
 * in another order.
 *
 * <pre>{@code
 * Queue<String> queue = new Queue<>(10);
 * // producer                     // consumer
 * queue.put(url);                 String url = queue.get();
 *                                 fetch(url);
 *                                 queue.taskDone();
 * }</pre>
 *
 * <p>Bound to one loop and not thread-safe, as in Python: it holds no lock, because only one of
 * its loop's coroutines runs at a time. Used from another thread it throws
 * {@link IllegalStateException}; a thread feeds a queue through {@code loop.callSoonThreadsafe}.
 *
 * @param <E> the type of the items
 */
public sealed class Queue<E> extends LoopBound permits PriorityQueue, LifoQueue {

    private final int maxsize;
    /** The items; the subclasses' order is this collection's. */
    private final java.util.Queue<E> items;
    private final ArrayDeque<Future<Void>> getters = new ArrayDeque<>();
    private final ArrayDeque<Future<Void>> putters = new ArrayDeque<>();
    private int unfinishedTasks;
    private final Event finished = new Event();
    private boolean isShutdown;

    /** An unbounded queue. Python's {@code Queue()}. */
    public Queue() {
        this(0);
    }

    /** A queue of at most {@code maxsize} items; zero or less means unbounded. Python's {@code Queue(maxsize)}. */
    public Queue(int maxsize) {
        this(maxsize, new ArrayDeque<>());
    }

    Queue(int maxsize, java.util.Queue<E> items) {
        this.maxsize = maxsize;
        this.items = items;
    }

    /** The number of items. Python's {@code qsize()}. */
    public int qsize() {
        loop();
        return items.size();
    }

    /** The capacity given at creation; zero or less means unbounded. Python's {@code maxsize}. */
    public int maxsize() {
        return maxsize;
    }

    /** Whether there is no item. Python's {@code empty()}. */
    public boolean empty() {
        loop();
        return items.isEmpty();
    }

    /** Whether there are {@code maxsize} items. Python's {@code full()}. */
    public boolean full() {
        loop();
        return maxsize > 0 && items.size() >= maxsize;
    }

    /**
     * Adds {@code item}, waiting while the queue is full. Python's {@code await queue.put(item)}.
     * An await point.
     *
     * @throws QueueShutDownException if the queue is shut down
     * @throws CancelledException     if the task is cancelled while it waits (nothing is added)
     */
    public void put(E item) {
        EventLoop loop = coroutineLoop("put");
        while (full()) {
            if (isShutdown) {
                throw new QueueShutDownException();
            }
            waitInLine(loop, putters, () -> !full());
        }
        putNowait(item);
    }

    /**
     * Adds {@code item} if there is room, without waiting. Python's {@code put_nowait(item)}.
     *
     * @throws QueueFullException     if the queue is full
     * @throws QueueShutDownException if the queue is shut down
     * @throws NullPointerException   if {@code item} is null (Java's collections hold no nulls)
     */
    public void putNowait(E item) {
        Objects.requireNonNull(item, "item");
        loop();
        if (isShutdown) {
            throw new QueueShutDownException();
        }
        if (full()) {
            throw new QueueFullException();
        }
        items.add(item);
        unfinishedTasks++;
        finished.clear();
        wakeUpNext(getters);
    }

    /**
     * Removes and returns an item, waiting while the queue is empty. Python's {@code await queue.get()}.
     * An await point.
     *
     * @throws QueueShutDownException if the queue is shut down and empty
     * @throws CancelledException     if the task is cancelled while it waits (nothing is taken)
     */
    public E get() {
        EventLoop loop = coroutineLoop("get");
        while (items.isEmpty()) {
            if (isShutdown) {
                throw new QueueShutDownException();
            }
            waitInLine(loop, getters, () -> !items.isEmpty());
        }
        return getNowait();
    }

    /**
     * Removes and returns an item if there is one, without waiting. Python's {@code get_nowait()}.
     *
     * @throws QueueEmptyException    if the queue is empty
     * @throws QueueShutDownException if the queue is shut down and empty
     */
    public E getNowait() {
        loop();
        if (items.isEmpty()) {
            if (isShutdown) {
                throw new QueueShutDownException();
            }
            throw new QueueEmptyException();
        }
        E item = items.remove();
        wakeUpNext(putters);
        return item;
    }

    /**
     * Tells the queue that an item taken earlier has been dealt with; when every item put has
     * been, {@link #join()} returns. Python's {@code task_done()}.
     *
     * @throws IllegalArgumentException if called more times than items were put (Python's {@code ValueError})
     */
    public void taskDone() {
        loop();
        if (unfinishedTasks <= 0) {
            throw new IllegalArgumentException("taskDone() called too many times");
        }
        unfinishedTasks--;
        if (unfinishedTasks == 0) {
            finished.set();
        }
    }

    /**
     * Waits until every item put has been taken and marked with {@link #taskDone()}. Python's
     * {@code await queue.join()}. An await point.
     */
    public void join() {
        coroutineLoop("join");
        if (unfinishedTasks > 0) {
            finished.await();
        }
    }

    /** {@link #shutdown(boolean)} that lets the items already queued be taken. */
    public void shutdown() {
        shutdown(false);
    }

    /**
     * Shuts the queue down: {@code put} throws {@link QueueShutDownException} from now on, and so
     * does {@code get} once the queue is empty; waiting producers and consumers wake to find out.
     * With {@code immediate}, the items still queued are dropped (and counted as done for
     * {@link #join()}). Python 3.13's {@code shutdown(immediate=False)}. Never blocks.
     */
    public void shutdown(boolean immediate) {
        loop();
        isShutdown = true;
        if (immediate) {
            while (!items.isEmpty()) {
                items.remove();
                if (unfinishedTasks > 0) {
                    unfinishedTasks--;
                }
            }
            if (unfinishedTasks == 0) {
                finished.set();
            }
        }
        wakeUpAll(getters);
        wakeUpAll(putters);
    }

    /*
     * Waits in line until a put or get wakes this waiter (or shutdown does). A waker pops the
     * waiter from the line; a waiter cancelled after it was woken must pass the wake-up on if
     * there is still room (or an item) for the next one, or that one would wait forever.
     */
    private static void waitInLine(EventLoop loop, ArrayDeque<Future<Void>> line, BooleanSupplier roomForNext) {
        Future<Void> waiter = loop.createFuture();
        line.add(waiter);
        try {
            awaitWaiter(waiter);
        } catch (Throwable cancelled) {
            waiter.cancel();
            line.remove(waiter);
            if (roomForNext.getAsBoolean() && !waiter.cancelled()) {
                wakeUpNext(line);
            }
            throw cancelled;
        }
    }

    private static void wakeUpNext(ArrayDeque<Future<Void>> waiters) {
        Future<Void> waiter;
        while ((waiter = waiters.pollFirst()) != null) {
            if (!waiter.done()) {
                waiter.setResult(null);
                return;
            }
        }
    }

    private static void wakeUpAll(ArrayDeque<Future<Void>> waiters) {
        Future<Void> waiter;
        while ((waiter = waiters.pollFirst()) != null) {
            if (!waiter.done()) {
                waiter.setResult(null);
            }
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[maxsize=" + maxsize + ", qsize=" + items.size()
                + (isShutdown ? ", shut down" : "") + "]";
    }
}

package dev.pyloom.multiprocessing;

import dev.pyloom.common.Durations;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The iterator {@link Pool#imap} and {@link Pool#imapUnordered} return: Python's
 * {@code IMapIterator}. {@link #next()} waits for the next result: in item order (chunks that
 * finish early wait their turn), or, for {@code imapUnordered}, in order of completion.
 *
 * <pre>{@code
 * ResultIterator<Integer> squares = pool.imap(Demo::square, items);
 * while (squares.hasNext()) {
 *     use(squares.next(Duration.ofSeconds(5)));     // Python's next(timeout)
 * }
 * }</pre>
 *
 * <p>The pool reads the items as the workers need them (see {@code Feeder}), so results come
 * while the iterable is still being read, and {@link #hasNext()} may wait for the iterable to say
 * whether it has more. A chunk that failed (a task threw, or its worker died) makes {@code next()}
 * throw at each of its items' positions, so that every item has exactly one outcome and the
 * results after it keep their positions: the task's own exception if it is unchecked, otherwise
 * a {@link CompletionException} around it (made anew each time, with the stack trace of the
 * {@code next()} that throws it, and the worker's as its cause). The results after it
 * still follow. What the iterable itself throws comes the same way, at its
 * position, and ends the results; so does a {@link java.util.concurrent.CancellationException}
 * where the pool was terminated before it read the rest. Safe to use from any thread.
 */
public final class ResultIterator<R> implements Iterator<R>, Iterable<R> {

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when results are released, when a chunk is announced, and at the end. */
    private final Condition arrived = lock.newCondition();
    private final boolean ordered;
    private final ResultHandler handler;
    // Results (a null one as NULL, an ArrayDeque holds no null), or a Failed, to hand out. Guarded by lock.
    private final ArrayDeque<Object> ready = new ArrayDeque<>();
    private final TreeMap<Integer, List<?>> early = new TreeMap<>();     // ordered: chunks past the next one; guarded by lock
    private int nextChunk;        // ordered: the chunk to release next; guarded by lock
    private int chunksReleased;   // guarded by lock
    // Chunks known to exist: each holds at least one result, so fewer released means more to come. Guarded by lock.
    private int chunksAnnounced;
    // How many chunks there are, once the items have all been read (or the pool ended); -1 until then. Guarded by lock.
    private int chunks = -1;
    /** Completed when the pool has stopped reading the items (tests wait for it). */
    private final CompletableFuture<Void> readingEnded = new CompletableFuture<>();

    private record Failed(Throwable failure) {}

    /** A task's null result, in {@link #ready}. */
    private static final Object NULL = new Object();

    ResultIterator(boolean ordered, ResultHandler handler) {
        this.ordered = ordered;
        this.handler = handler;
    }

    /** Where the chunks' outcomes go, from the places' threads. */
    PendingJob.Sink sink() {
        return new PendingJob.Sink() {
            @Override
            public void succeeded(PendingJob job, List<?> results) {
                arrive(job.chunkIndex(), results);
            }

            @Override
            public void failed(PendingJob job, Throwable failure) {
                // every item of the chunk keeps its position: the failure takes each of them
                arrive(job.chunkIndex(), Collections.nCopies(job.size(), new Failed(failure)));
            }
        };
    }

    private void arrive(int chunk, List<?> values) {
        lock.lock();
        try {
            arriveLocked(chunk, values);
        } finally {
            lock.unlock();
        }
    }

    private void arriveLocked(int chunk, List<?> values) {
        if (!ordered) {
            release(values);
        } else {
            early.put(chunk, values);
            while (!early.isEmpty() && early.firstKey() == nextChunk) {
                release(early.pollFirstEntry().getValue());
                nextChunk++;
            }
        }
        arrived.signalAll();
    }

    /** The feeder queued chunks up to {@code count}: that many will come. */
    void announce(int count) {
        lock.lock();
        try {
            if (count > chunksAnnounced) {
                chunksAnnounced = count;
                if (lock.hasWaiters(arrived)) {
                    arrived.signalAll();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * No more chunks will be queued: there are {@code fed}, and, if {@code failure} is not null,
     * one more in which it takes the place of the items not read (what the iterable threw, or why
     * the pool ended).
     */
    void end(int fed, Throwable failure) {
        lock.lock();
        try {
            if (failure != null) {
                arriveLocked(fed, List.of(new Failed(failure)));
            }
            chunks = failure != null ? fed + 1 : fed;
            chunksAnnounced = Math.max(chunksAnnounced, chunks);
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Completed once the pool has stopped reading the items. */
    CompletableFuture<Void> readingEnded() {
        return readingEnded;
    }

    private void release(List<?> values) { // lock held
        for (Object value : values) {
            ready.addLast(value == null ? NULL : value);
        }
        chunksReleased++;
    }

    /**
     * This iterator itself, so that a for-each loop reads the results as Python's
     * {@code for x in pool.imap(...)} does: {@code for (int x : pool.imap(...))}. Iterating it a
     * second time continues where the first stopped, as a Python iterator does.
     */
    @Override
    public Iterator<R> iterator() {
        return this;
    }

    /**
     * Whether there is another result (or failure) to take. Waits only while every chunk queued
     * so far has been handed out and the iterable has not yet said whether it has more.
     *
     * @throws CompletionException around an {@link InterruptedException} if that wait was
     *                             interrupted (the thread's interrupt status is set again)
     */
    @Override
    public boolean hasNext() {
        try {
            lock.lockInterruptibly();
            try {
                for (;;) {
                    if (!ready.isEmpty() || chunksReleased < chunksAnnounced) {
                        return true;
                    }
                    if (chunks >= 0) {
                        return false;
                    }
                    requireWaitable("whether an imap has another result");
                    arrived.await();
                }
            } finally {
                lock.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        }
    }

    private void requireWaitable(String what) {
        if (handler.isPoolThread()) {
            throw new IllegalStateException("waiting for " + what + " on one of the pool's own threads"
                    + " would wait forever: callbacks, and stages composed on an AsyncResult without an"
                    + " executor, run on them");
        }
    }

    /**
     * The next result, waiting for it as long as it takes.
     *
     * @throws NoSuchElementException if every result has been returned
     * @throws CompletionException    around a checked exception a task threw (unchecked ones as
     *                                they are), or around an {@link InterruptedException} if the
     *                                wait was interrupted (the thread's interrupt status is set again)
     */
    @Override
    public R next() {
        try {
            return next(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        } catch (TimeoutException cannotHappen) {
            throw new IllegalStateException(cannotHappen);
        }
    }

    /**
     * The next result, waiting at most {@code timeout}. Python's {@code next(timeout)}.
     *
     * @throws TimeoutException       if it is not there in time (Python's {@code TimeoutError})
     * @throws NoSuchElementException if every result has been returned
     */
    public R next(Duration timeout) throws InterruptedException, TimeoutException {
        return next(Durations.timeoutNanos(timeout, "timeout"));
    }

    @SuppressWarnings("unchecked")
    private R next(long nanos) throws InterruptedException, TimeoutException {
        lock.lockInterruptibly();
        try {
            while (ready.isEmpty()) {
                if (chunksReleased == chunks) {
                    throw new NoSuchElementException("every result has been returned");
                }
                requireWaitable("an imap result");
                if (nanos <= 0) {
                    throw new TimeoutException("no result yet");
                }
                nanos = nanos == Long.MAX_VALUE ? waitForever() : arrived.awaitNanos(nanos);
            }
            Object next = ready.pollFirst();
            if (next instanceof Failed failed) {
                Throwable failure = RemoteFailures.here(failed.failure());
                if (failure instanceof RuntimeException unchecked) {
                    throw unchecked;
                }
                if (failure instanceof Error error) {
                    throw error;
                }
                throw new CompletionException(failure);
            }
            return next == NULL ? null : (R) next;
        } finally {
            lock.unlock();
        }
    }

    private long waitForever() throws InterruptedException {
        arrived.await();
        return Long.MAX_VALUE;
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            return "ResultIterator[" + (ordered ? "ordered" : "unordered") + ", " + chunksReleased + "/"
                    + (chunks >= 0 ? chunks : chunksAnnounced + "+") + " chunks in]";
        } finally {
            lock.unlock();
        }
    }
}

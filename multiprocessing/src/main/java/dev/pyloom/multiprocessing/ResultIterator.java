package dev.pyloom.multiprocessing;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import tools.jackson.databind.JsonNode;

/**
 * The iterator {@code imap} and {@code imapUnordered} return: Python's {@code IMapIterator}.
 * Chunks arrive on the pool's result-handler thread; {@link #next()} waits for the next result:
 * in item order (chunks that finish early wait in {@code early}), or in order of arrival.
 *
 * <p>A chunk that failed makes {@code next()} throw, at that chunk's place: the task's own
 * exception if it is unchecked, otherwise a {@link CompletionException} around it.
 */
final class ResultIterator<R> implements Iterator<R>, PendingJob.Sink {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final boolean ordered;
    private final Type resultType;
    private final int chunks;
    private final ArrayDeque<Object> ready = new ArrayDeque<>();         // results (or a Failed) in delivery order; guarded by lock
    private final TreeMap<Integer, List<Object>> early = new TreeMap<>(); // ordered: chunks past the next one; guarded by lock
    private int nextChunk;        // ordered: the chunk to release next; guarded by lock
    private int chunksReleased;   // guarded by lock

    private record Failed(Throwable failure) {}

    ResultIterator(int chunks, boolean ordered, Type resultType) {
        this.chunks = chunks;
        this.ordered = ordered;
        this.resultType = resultType;
    }

    @Override
    public void succeeded(PendingJob job, List<JsonNode> results) {
        List<Object> values = new java.util.ArrayList<>(results.size());
        for (JsonNode result : results) {
            try {
                values.add(Pool.decode(result, resultType));
            } catch (IOException e) {
                failed(job, e);
                return;
            }
        }
        arrive(job.chunkIndex(), values);
    }

    @Override
    public void failed(PendingJob job, Throwable failure) {
        arrive(job.chunkIndex(), List.of(new Failed(failure)));
    }

    private void arrive(int chunk, List<Object> values) {
        lock.lock();
        try {
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
        } finally {
            lock.unlock();
        }
    }

    private void release(List<Object> values) { // lock held
        ready.addAll(values);
        chunksReleased++;
    }

    @Override
    public boolean hasNext() {
        lock.lock();
        try {
            return !ready.isEmpty() || chunksReleased < chunks;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next result, waiting for it.
     *
     * @throws NoSuchElementException if every result has been returned
     * @throws CompletionException    around a checked exception a task threw (unchecked ones as they are)
     */
    @Override
    @SuppressWarnings("unchecked")
    public R next() {
        lock.lock();
        try {
            while (ready.isEmpty()) {
                if (chunksReleased == chunks) {
                    throw new NoSuchElementException("every result has been returned");
                }
                arrived.awaitUninterruptibly();
            }
            Object next = ready.pollFirst();
            if (next instanceof Failed failed) {
                Throwable failure = failed.failure();
                if (failure instanceof RuntimeException unchecked) {
                    throw unchecked;
                }
                if (failure instanceof Error error) {
                    throw error;
                }
                throw new CompletionException(failure);
            }
            return (R) next;
        } finally {
            lock.unlock();
        }
    }
}

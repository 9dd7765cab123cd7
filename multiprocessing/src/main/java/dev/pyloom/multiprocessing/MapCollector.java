package dev.pyloom.multiprocessing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Gathers a {@code map}'s chunks into one list, in item order: Python's {@code MapResult}.
 * Chunks arrive on the places' threads, each into its own slots; the last one completes the
 * result (after the callback, on the result-handler thread, if there is one). The first chunk
 * to fail fails the whole map, and the later chunks are ignored.
 */
final class MapCollector<R> implements PendingJob.Sink {

    private final ReentrantLock lock = new ReentrantLock();
    private final Object[] values;          // each chunk's slots written by the one thread delivering it
    private final int chunkSize;
    private final AsyncResult<List<R>> result;
    private final Consumer<? super List<R>> callback;
    private final Consumer<? super Throwable> errorCallback;
    private int chunksLeft;                 // guarded by lock
    private boolean failed;                 // guarded by lock

    MapCollector(int chunks, int chunkSize, int items, AsyncResult<List<R>> result,
            Consumer<? super List<R>> callback, Consumer<? super Throwable> errorCallback) {
        this.values = new Object[items];
        this.chunkSize = chunkSize;
        this.result = result;
        this.callback = callback;
        this.errorCallback = errorCallback;
        this.chunksLeft = chunks;
    }

    @Override
    public boolean cancelled() {
        return result.isCancelled();
    }

    @Override
    public void succeeded(PendingJob job, List<?> results) {
        int first = job.chunkIndex() * chunkSize;
        for (int i = 0; i < results.size(); i++) {
            values[first + i] = results.get(i);
        }
        boolean last;
        lock.lock(); // also publishes the slots written above to the thread that finishes
        try {
            last = !failed && --chunksLeft == 0;
        } finally {
            lock.unlock();
        }
        if (last) {
            finish();
        }
    }

    @Override
    public void failed(PendingJob job, Throwable failure) {
        lock.lock();
        try {
            if (failed || result.isCancelled()) {
                return;
            }
            failed = true;
        } finally {
            lock.unlock();
        }
        result.fail(failure, errorCallback, job);
    }

    /** A map over no items: done at once, with an empty list. */
    void finishEmpty() {
        finish();
    }

    @SuppressWarnings("unchecked")
    private void finish() {
        List<R> list = (List<R>) new ArrayList<>(Arrays.asList(values));
        result.complete(list, callback, result);
    }
}

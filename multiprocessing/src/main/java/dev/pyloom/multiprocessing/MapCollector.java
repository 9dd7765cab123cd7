package dev.pyloom.multiprocessing;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * Gathers a {@code map}'s chunks into one list, in item order: Python's {@code MapResult}. The
 * first chunk to fail fails the whole map (and the later chunks are ignored). Only ever touched
 * on the pool's result-handler thread.
 */
final class MapCollector<R> implements PendingJob.Sink {

    private final Object[] values;
    private final int chunkSize;
    private final Type resultType;
    private final String task;
    private final AsyncResult<List<R>> result;
    private final Consumer<? super List<R>> callback;
    private final Consumer<? super Throwable> errorCallback;
    private int chunksLeft;
    private boolean failed;

    MapCollector(int chunks, int chunkSize, int items, Type resultType, String task, AsyncResult<List<R>> result,
            Consumer<? super List<R>> callback, Consumer<? super Throwable> errorCallback) {
        this.values = new Object[items];
        this.chunkSize = chunkSize;
        this.resultType = resultType;
        this.task = task;
        this.result = result;
        this.callback = callback;
        this.errorCallback = errorCallback;
        this.chunksLeft = chunks;
    }

    @Override
    public void succeeded(PendingJob job, List<JsonNode> results) {
        if (failed) {
            return;
        }
        int first = job.chunkIndex() * chunkSize;
        for (int i = 0; i < results.size(); i++) {
            try {
                values[first + i] = Pool.decode(results.get(i), resultType);
            } catch (IOException e) {
                failed(job, e);
                return;
            }
        }
        if (--chunksLeft == 0) {
            finish();
        }
    }

    @Override
    public void failed(PendingJob job, Throwable failure) {
        if (failed) {
            return;
        }
        failed = true;
        if (errorCallback != null) {
            ResultHandler.runCallback("error callback", task, () -> errorCallback.accept(failure));
        }
        result.fail(failure);
    }

    /** A map over no items: done at once, with an empty list. */
    void finishEmpty() {
        finish();
    }

    @SuppressWarnings("unchecked")
    private void finish() {
        List<R> list = (List<R>) new ArrayList<>(Arrays.asList(values));
        if (callback != null) {
            ResultHandler.runCallback("callback", task, () -> callback.accept(list));
        }
        result.complete(list);
    }
}

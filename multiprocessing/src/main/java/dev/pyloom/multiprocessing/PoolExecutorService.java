package dev.pyloom.multiprocessing;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link Pool} seen through the JDK's {@link ExecutorService}: see
 * {@link Pool#asExecutorService()}. Every task goes through the pool's own submission, so it is
 * checked (it must be a serializable lambda or method reference whose captures travel as JSON)
 * before it is queued, and its {@code Future} is the pool's {@link AsyncResult}.
 */
final class PoolExecutorService implements ExecutorService {

    private static final System.Logger LOG = System.getLogger("dev.pyloom.multiprocessing");

    private final Pool pool;

    PoolExecutorService(Pool pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable command) {
        AsyncResult<Object> result = submitTask(command);
        result.toCompletableFuture().whenComplete((ignored, failure) -> {
            Throwable thrown = failure instanceof CompletionException wrapped ? wrapped.getCause() : failure;
            if (thrown != null && !(thrown instanceof CancellationException)) {
                LOG.log(Level.ERROR, "task " + result + " given to execute() threw", thrown);
            }
        });
    }

    @Override
    public <T> Future<T> submit(Callable<T> task) {
        return submitTask(task);
    }

    @Override
    public Future<?> submit(Runnable task) {
        return submitTask(task);
    }

    @Override
    public <T> Future<T> submit(Runnable task, T result) {
        AsyncResult<Object> ran = submitTask(task);
        return new Future<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                return ran.cancel(mayInterruptIfRunning);
            }

            @Override
            public boolean isCancelled() {
                return ran.isCancelled();
            }

            @Override
            public boolean isDone() {
                return ran.isDone();
            }

            @Override
            public T get() throws InterruptedException, ExecutionException {
                ran.get();
                return result;
            }

            @Override
            public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
                ran.get(timeout, unit);
                return result;
            }
        };
    }

    /*
     * The pool's checks say why a task cannot be sent (IllegalArgumentException) or the pool
     * takes no more (IllegalStateException); an ExecutorService says both with
     * RejectedExecutionException.
     */
    private <T> AsyncResult<T> submitTask(Object task) {
        Objects.requireNonNull(task, "task");
        try {
            return pool.submitAny(task);
        } catch (IllegalArgumentException cannotSend) {
            String how = task instanceof Future<?> ? ". It is a Future around a task (as ExecutorCompletionService and"
                    + " CompletableFuture's *Async methods make), which cannot travel: submit the task itself, and"
                    + " compose on the Future this service returns (AsyncResult.toCompletableFuture())."
                    : task instanceof java.io.Serializable ? ""
                    : ". A Runnable or Callable reaches a worker only as a serializable lambda or method reference, like"
                    + " (Callable<Integer> & Serializable) () -> Demo.square(7); or use the pool's own"
                    + " applyAsync(Demo::square, 7).";
            throw new RejectedExecutionException("cannot run " + task + " in a worker process: " + cannotSend.getMessage()
                    + how, cannotSend);
        } catch (IllegalStateException closed) {
            throw new RejectedExecutionException(closed.getMessage(), closed);
        }
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        List<Future<T>> futures = submitAll(tasks);
        try {
            for (Future<T> future : futures) {
                awaitDone(future);
            }
        } catch (InterruptedException e) {
            cancelAll(futures);
            throw e;
        }
        return futures;
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        List<Future<T>> futures = submitAll(tasks);
        try {
            for (Future<T> future : futures) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !((AsyncResult<T>) future).await(Duration.ofNanos(left))) {
                    cancelAll(futures);
                    break;
                }
            }
        } catch (InterruptedException e) {
            cancelAll(futures);
            throw e;
        }
        return futures;
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        try {
            return invokeAny(tasks, Long.MAX_VALUE);
        } catch (TimeoutException cannotHappen) {
            throw new IllegalStateException(cannotHappen);
        }
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        return invokeAny(tasks, unit.toNanos(timeout));
    }

    /* The first result of a task that succeeded; the others are then cancelled (withdrawn, if no worker has them). */
    private <T> T invokeAny(Collection<? extends Callable<T>> tasks, long nanos)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("invokeAny needs at least one task");
        }
        long deadline = nanos == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + nanos;
        LinkedBlockingQueue<AsyncResult<T>> done = new LinkedBlockingQueue<>();
        List<Future<T>> futures = new ArrayList<>();
        try {
            for (Callable<T> task : tasks) {
                AsyncResult<T> result = submitTask(task);
                futures.add(result);
                result.toCompletableFuture().whenComplete((value, failure) -> done.add(result));
            }
            ExecutionException last = null;
            for (int finished = 0; finished < futures.size(); finished++) {
                AsyncResult<T> next = deadline == Long.MAX_VALUE ? done.take()
                        : done.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (next == null) {
                    throw new TimeoutException("no task of invokeAny succeeded in time");
                }
                try {
                    return next.get();
                } catch (ExecutionException | CancellationException failed) {
                    last = failed instanceof ExecutionException e ? e : new ExecutionException(failed);
                }
            }
            throw last;
        } finally {
            cancelAll(futures);
        }
    }

    private <T> List<Future<T>> submitAll(Collection<? extends Callable<T>> tasks) {
        List<Future<T>> futures = new ArrayList<>(tasks.size());
        try {
            for (Callable<T> task : tasks) {
                futures.add(submitTask(Objects.requireNonNull(task, "task")));
            }
        } catch (RuntimeException refused) {
            cancelAll(futures);
            throw refused;
        }
        return futures;
    }

    private static void awaitDone(Future<?> future) throws InterruptedException {
        ((AsyncResult<?>) future).await();
    }

    private static void cancelAll(List<? extends Future<?>> futures) {
        for (Future<?> future : futures) {
            future.cancel(true);
        }
    }

    @Override
    public void shutdown() {
        pool.shutdown();
    }

    /* Does not wait for the workers to exit, as the interface says (awaitTermination does): so a stage on a result may call it. */
    @Override
    public List<Runnable> shutdownNow() {
        pool.stopNow();
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return pool.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return pool.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return pool.awaitTermination(Duration.ofNanos(unit.toNanos(timeout)));
    }

    @Override
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return "ExecutorService[" + pool + "]";
    }
}

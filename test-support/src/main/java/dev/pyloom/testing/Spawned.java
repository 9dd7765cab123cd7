package dev.pyloom.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A helper thread for tests, CPython's {@code lock_tests.Bunch} in miniature: starts a body on a
 * virtual thread, lets the test wait until it is blocked, and hands back its result or failure.
 * Tests synchronise through it (and Awaitility), never through {@code Thread.sleep}.
 */
public final class Spawned<T> {

    /** Generous upper bounds: these only matter when a test is about to fail anyway. */
    public static final Duration PATIENCE = Duration.ofSeconds(30);

    public interface Body {
        void run() throws Exception;
    }

    private final Thread thread;
    private final CompletableFuture<T> outcome = new CompletableFuture<>();

    private Spawned(Callable<T> body) {
        Runnable task = () -> {
            try {
                outcome.complete(body.call());
            } catch (Throwable failure) {
                outcome.completeExceptionally(failure);
            }
        };
        this.thread = Thread.ofVirtual().start(task);
    }

    public static Spawned<Void> run(Body body) {
        return new Spawned<>(() -> {
            body.run();
            return null;
        });
    }

    public static <T> Spawned<T> call(Callable<T> body) {
        return new Spawned<>(body);
    }

    public static List<Spawned<Void>> runMany(int count, Body body) {
        List<Spawned<Void>> all = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            all.add(run(body));
        }
        return all;
    }

    public static void joinAll(List<? extends Spawned<?>> all) throws Exception {
        for (Spawned<?> each : all) {
            each.join();
        }
    }

    public Thread thread() {
        return thread;
    }

    /** Waits until {@code condition} holds, polling every millisecond; fails after {@link #PATIENCE}. */
    public static void awaitUntil(Callable<Boolean> condition) {
        await().atMost(PATIENCE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).until(condition);
    }

    /** Waits until the thread is parked: blocked in the primitive under test. */
    public Spawned<T> awaitBlocked() {
        await().atMost(PATIENCE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).until(() -> {
            Thread.State state = thread.getState();
            if (state == Thread.State.TERMINATED) {
                throw new AssertionError("thread ended instead of blocking: " + describeOutcome());
            }
            return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
        });
        return this;
    }

    /** Whether the body has finished, normally or not. */
    public boolean isDone() {
        return outcome.isDone();
    }

    /** Waits for the body and returns its result, rethrowing what it threw. */
    public T join() throws Exception {
        try {
            return outcome.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw new AssertionError(e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("thread did not finish within " + PATIENCE + ": " + thread, e);
        }
    }

    /** Waits for the body and returns what it threw; fails if it returned normally. */
    public Throwable failure() throws InterruptedException {
        try {
            outcome.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("thread did not finish within " + PATIENCE + ": " + thread, e);
        }
        throw new AssertionError("expected the thread to fail, but it returned normally");
    }

    private String describeOutcome() {
        try {
            return "returned " + outcome.getNow(null);
        } catch (Exception e) {
            return "threw " + e.getCause();
        }
    }
}

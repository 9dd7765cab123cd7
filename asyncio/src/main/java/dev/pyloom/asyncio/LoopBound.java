package dev.pyloom.asyncio;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Collection;

/**
 * The base of loop-bound objects, such as the {@linkplain dev.pyloom.asyncio.locks locks} and
 * {@linkplain dev.pyloom.asyncio.queues queues}: CPython's {@code _LoopBoundMixin}, plus the check
 * that makes them safe without locks.
 *
 * <p>An object is created free and binds to the loop that first uses it. From then on, every
 * call must come from that loop's coroutines or callbacks: the single-runner rule (one of them
 * runs at a time) is what protects the object's state, so a call from any other thread, or
 * from another loop, is rejected with an {@link IllegalStateException} before it touches anything.
 *
 * <p>A primitive of your own is a few lines on it, as CPython's are on futures. A one-shot latch:
 *
 * <pre>{@code
 * final class Latch extends LoopBound {
 *     private final ArrayDeque<Future<Void>> waiters = new ArrayDeque<>();
 *     private boolean open;
 *
 *     void await() {                                   // an await point
 *         EventLoop loop = coroutineLoop("await");
 *         if (!open) {
 *             awaitInLine(loop.createFuture(), waiters);
 *         }
 *     }
 *
 *     void open() {
 *         loop();
 *         open = true;
 *         waiters.forEach(w -> { if (!w.done()) w.setResult(null); });
 *     }
 * }
 * }</pre>
 */
public abstract class LoopBound {

    private static final VarHandle LOOP;

    static {
        try {
            LOOP = MethodHandles.lookup().findVarHandle(LoopBound.class, "loop", EventLoop.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through LOOP
    private volatile EventLoop loop;

    /** An object bound to no loop yet. */
    protected LoopBound() {}

    /**
     * The loop the calling thread runs, which this object is (now) bound to.
     *
     * @throws IllegalStateException if the calling thread holds no loop's turn, or another loop's
     */
    protected final EventLoop loop() {
        EventLoop running = EventLoop.runningOrNull();
        if (running == null) {
            throw new IllegalStateException(getClass().getSimpleName() + " used from " + Thread.currentThread()
                    + ", which is not running its event loop: loop-bound primitives are not thread-safe;"
                    + " other threads reach them through loop.callSoonThreadsafe or runCoroutineThreadsafe");
        }
        EventLoop bound = (EventLoop) LOOP.compareAndExchange(this, (EventLoop) null, running);
        if (bound != null && bound != running) {
            throw new IllegalStateException(this + " is bound to a different event loop");
        }
        return running;
    }

    /**
     * {@link #loop()}, for a call that may wait: it must come from a coroutine, not a callback.
     *
     * @param what the call, for the message ({@code "acquire"})
     * @throws IllegalStateException if not called from a coroutine of this object's loop
     */
    protected final EventLoop coroutineLoop(String what) {
        EventLoop bound = loop();
        if (bound.turn.task() == null) { // the caller holds bound's turn, but runs no coroutine
            EventLoop.currentTask(getClass().getSimpleName() + "." + what); // throws, saying so
        }
        return bound;
    }

    /**
     * Suspends the calling coroutine until {@code waiter} is done: Python's {@code await fut} for
     * a waiter future that is only ever given a result or cancelled. An await point.
     *
     * @throws CancelledException    (or what a timeout scope makes of it) if the task is cancelled meanwhile
     * @throws IllegalStateException if not called from a coroutine of the waiter's loop
     */
    protected static void awaitWaiter(Future<Void> waiter) {
        LoopTurn turn = waiter.loop.turn;
        Task<?> task = turn.heldByCaller() ? turn.task() : null; // no search of the running loops
        if (task == null) {
            task = EventLoop.currentTask("await"); // fails, saying why
            throw new IllegalStateException("Task got Future attached to a different loop: " + task);
        }
        task.awaitDone(waiter);
    }

    /**
     * Waits in {@code line} until {@code waiter} is completed by whoever wakes it, the shape of
     * every wait in CPython's {@code locks.py}; the waiter leaves the line however the wait ends.
     *
     * @throws CancelledException (or what a scope makes of it) if the task is cancelled meanwhile
     */
    protected static void awaitInLine(Future<Void> waiter, Collection<Future<Void>> line) {
        line.add(waiter);
        try {
            awaitWaiter(waiter);
        } finally {
            line.remove(waiter);
        }
    }
}

package dev.pyloom.asyncio;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;

/**
 * The base of the loop-bound primitives: CPython's {@code _LoopBoundMixin}, plus the check that
 * makes them safe without locks.
 *
 * <p>A primitive is created free and binds to the loop that first uses it. From then on, every
 * call must come from that loop's coroutines or callbacks: the single-runner rule (one of them
 * runs at a time) is what protects the primitive's state, so a call from any other thread, or
 * from another loop, is rejected with an {@link IllegalStateException} before it touches anything.
 */
abstract sealed class LoopBound permits Lock, Event, Condition, Semaphore, Barrier, Queue {

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

    /**
     * The loop the calling thread runs, which this primitive is (now) bound to.
     *
     * @throws IllegalStateException if the calling thread holds no loop's turn, or another loop's
     */
    final EventLoop loop() {
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
     * Waits in {@code line} until {@code waiter} is completed by whoever wakes it, the shape of
     * every wait in CPython's {@code locks.py}; the waiter leaves the line however the wait ends.
     *
     * @throws CancelledException (or what a scope makes of it) if the task is cancelled meanwhile
     */
    static void awaitInLine(Task<?> task, Future<Void> waiter, ArrayDeque<Future<Void>> line) {
        line.add(waiter);
        try {
            task.awaitDone(waiter);
        } finally {
            line.remove(waiter);
        }
    }

    /** The task of the calling coroutine, on this primitive's loop: where a wait may suspend. */
    final Task<?> task(String what) {
        loop();
        return EventLoop.currentTask(getClass().getSimpleName() + "." + what);
    }
}

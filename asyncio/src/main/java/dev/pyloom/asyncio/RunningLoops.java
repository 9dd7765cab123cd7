package dev.pyloom.asyncio;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The loops running now in this JVM, and which one the calling thread runs: CPython's
 * {@code _get_running_loop()}, which reads a thread-local. Here a coroutine's thread is a
 * virtual thread that may be one of millions, so instead of a thread-local per thread a thread
 * finds "its" loop by asking which running loop's turn it holds; few loops run at once.
 */
final class RunningLoops {

    private static final List<EventLoop> RUNNING = new CopyOnWriteArrayList<>();

    private RunningLoops() {}

    static void add(EventLoop loop) {
        RUNNING.add(loop);
    }

    static void remove(EventLoop loop) {
        RUNNING.remove(loop);
    }

    /** The loop whose turn the calling thread holds, or null. */
    static EventLoop ofCaller() {
        Thread me = Thread.currentThread();
        for (int i = 0; i < RUNNING.size(); i++) {
            EventLoop loop;
            try {
                loop = RUNNING.get(i);
            } catch (IndexOutOfBoundsException raced) {
                break; // a loop stopped while we looked: it was not ours
            }
            if (loop.turn.holder() == me) {
                return loop;
            }
        }
        return null;
    }
}

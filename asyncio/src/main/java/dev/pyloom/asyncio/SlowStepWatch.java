package dev.pyloom.asyncio;

import dev.pyloom.common.ServiceThreads;
import java.util.concurrent.locks.LockSupport;

/**
 * Debug mode's watchdog: notices a step (a callback, or a coroutine between two await points)
 * that holds its loop longer than the slow-callback threshold, and takes the stack of the thread
 * holding the loop <em>while</em> it is slow, so the report shows the culprit ({@code Thread.sleep},
 * a JDBC call, a long loop) rather than the await point the step ended at.
 *
 * <p>The driver marks each step's start and end (two volatile writes); a daemon platform thread
 * looks every quarter threshold. It only exists while a debugging loop runs.
 */
final class SlowStepWatch implements Runnable {

    private final EventLoop loop;
    private final Thread thread;
    private volatile boolean stopped;

    // ---- written by the driver only
    private volatile long step;      // which step runs now
    private volatile long stepStart; // System.nanoTime() at its start; 0 between steps

    // ---- written by the watchdog only
    private volatile long sampledStep = -1;
    private volatile StackTraceElement[] sample;

    SlowStepWatch(EventLoop loop) {
        this.loop = loop;
        this.thread = ServiceThreads.daemon("pyloom-asyncio-debug-watch").unstarted(this);
    }

    void start() {
        thread.start();
    }

    void stop() {
        stopped = true;
        LockSupport.unpark(thread);
    }

    /** On the driver, before a step. */
    long begin() {
        step++;
        long now = System.nanoTime();
        stepStart = now;
        return now;
    }

    /** On the driver, after a step: the stack taken while it was slow, if it was taken. */
    StackTraceElement[] end() {
        stepStart = 0;
        return sampledStep == step ? sample : null;
    }

    @Override
    public void run() {
        while (!stopped) {
            long threshold = Math.max(1, loop.slowCallbackNanos());
            long current = step;
            long started = stepStart;
            if (started != 0 && sampledStep != current && System.nanoTime() - started >= threshold) {
                // A racy read of the holder is fine for a diagnostic: it names the step's thread,
                // or, if the step just ended, one that will not be reported.
                Thread holder = loop.turn.holder();
                StackTraceElement[] trace = holder == null ? null : holder.getStackTrace();
                if (step == current) {
                    sample = trace;
                    sampledStep = current;
                }
            }
            LockSupport.parkNanos(this, threshold / 4);
        }
    }
}

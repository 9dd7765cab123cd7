package dev.pyloom.asyncio;

import java.time.Duration;

/**
 * A callback scheduled for a time on the loop's clock: Python's {@code asyncio.TimerHandle},
 * returned by {@link EventLoop#callLater} and {@link EventLoop#callAt}.
 *
 * <p>Timers due at the same instant run in the order they were scheduled.
 */
public final class TimerHandle extends Handle implements Comparable<TimerHandle> {

    final long whenNanos;
    final long sequence; // ties on whenNanos run in scheduling order
    /** Where it is in the loop's {@link TimerHeap}, or {@link TimerHeap#NOT_IN_HEAP}. Only touched on the loop. */
    int heapIndex = TimerHeap.NOT_IN_HEAP;

    TimerHandle(EventLoop loop, long whenNanos, long sequence, Runnable callback) {
        super(loop, callback);
        this.whenNanos = whenNanos;
        this.sequence = sequence;
    }

    /** When the callback is due, on the loop's clock ({@link EventLoop#time()}). Python's {@code when()}. */
    public Duration when() {
        return Duration.ofNanos(whenNanos);
    }

    /** Cancels the callback; cancelled on the loop, it also leaves the loop's heap at once. */
    @Override
    public void cancel() {
        if (!cancelled()) {
            super.cancel();
            loop.dispatcher.timerCancelled(this);
        }
    }

    @Override
    public int compareTo(TimerHandle other) {
        int byTime = Long.compare(whenNanos, other.whenNanos);
        return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
    }
}

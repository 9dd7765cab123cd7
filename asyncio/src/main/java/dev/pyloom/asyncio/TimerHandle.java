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
    private final long sequence; // ties on whenNanos run in scheduling order
    /** In the loop's heap: cancelling it then leaves a dead entry to count. Only touched on the loop. */
    boolean scheduled;
    /** Cancelled on the loop while in the heap, and counted as a dead entry there. Only touched on the loop. */
    boolean counted;

    TimerHandle(EventLoop loop, long whenNanos, long sequence, Runnable callback) {
        super(loop, callback);
        this.whenNanos = whenNanos;
        this.sequence = sequence;
    }

    /** A timer that wakes a sleeping task. */
    TimerHandle(EventLoop loop, long whenNanos, long sequence, Task<?> sleeper) {
        super(loop, sleeper);
        this.whenNanos = whenNanos;
        this.sequence = sequence;
    }

    /** When the callback is due, on the loop's clock ({@link EventLoop#time()}). Python's {@code when()}. */
    public Duration when() {
        return Duration.ofNanos(whenNanos);
    }

    /** Cancels the callback; the loop also forgets it sooner, so cancelled timers cost no memory for long. */
    @Override
    public void cancel() {
        if (!cancelled()) {
            super.cancel();
            loop.timerCancelled(this);
        }
    }

    @Override
    public int compareTo(TimerHandle other) {
        int byTime = Long.compare(whenNanos, other.whenNanos);
        return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
    }
}

package dev.pyloom.threading;

import dev.pyloom.common.Durations;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A flag that threads wait for: Python's {@code threading.Event}.
 *
 * <p>{@link #set()} raises the flag and wakes every waiting thread; {@link #clear()} lowers it;
 * {@link #await()} returns at once while the flag is up and otherwise waits for a {@code set()}.
 * A thread woken by {@code set()} returns {@code true} even if another thread calls
 * {@code clear()} before the woken one gets to run (CPython issue 13502).
 *
 * <pre>{@code
 * Event ready = new Event();
 * PyThread.builder().target(() -> { load(); ready.set(); }).start();
 * ready.await();
 * }</pre>
 *
 * <p>Python calls the wait {@code wait}; {@code java.lang.Object} owns that name, so here it is
 * {@code await}.
 */
public final class Event {

    /*
     * The flag is the state of the current gate, a one-shot latch: open means set.
     *
     *   set():   opens the current gate (no-op if it is open already)
     *   clear(): if the current gate is open, replaces it with a new closed one
     *   await(): waits on the gate that is current when it starts
     *
     * A waiter therefore waits on "the set() that ends this cleared period", and a set() followed
     * at once by a clear() still releases everyone who was waiting: their gate stays open, only
     * later arrivals see the new closed one. Only clear() swaps gates and only ever installs a
     * closed one, so a failed CAS in clear() means another clear() did the job.
     */
    private final AtomicReference<CountDownLatch> gate = new AtomicReference<>(new CountDownLatch(1));

    /** Creates an event whose flag is down. */
    public Event() {}

    /** Whether the flag is up. Python's {@code is_set()}. */
    public boolean isSet() {
        return gate.get().getCount() == 0;
    }

    /** Raises the flag and wakes every waiting thread. Never blocks. */
    public void set() {
        gate.get().countDown();
    }

    /** Lowers the flag; threads that wait from now on wait for the next {@link #set()}. */
    public void clear() {
        CountDownLatch current = gate.get();
        if (current.getCount() == 0) {
            gate.compareAndSet(current, new CountDownLatch(1));
        }
    }

    /**
     * Waits until the flag is up; returns at once if it is. Python's {@code wait()}, which always
     * returns {@code True}.
     *
     * @throws InterruptedException if the thread is interrupted while it waits
     */
    public void await() throws InterruptedException {
        gate.get().await();
    }

    /**
     * Waits at most {@code timeout} for the flag to be up. Python's {@code wait(timeout)}.
     *
     * @return {@code true} if the flag was set (even if cleared since), {@code false} on timeout
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws InterruptedException     if the thread is interrupted while it waits
     */
    public boolean await(Duration timeout) throws InterruptedException {
        return gate.get().await(Durations.timeoutNanos(timeout, "timeout"), TimeUnit.NANOSECONDS);
    }

    @Override
    public String toString() {
        return isSet() ? "Event[set]" : "Event[unset]";
    }
}

package dev.pyloom.multiprocessing;

import dev.pyloom.multiprocessing.internal.Failure;
import dev.pyloom.multiprocessing.internal.Wire;
import dev.pyloom.multiprocessing.spi.Relay;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Where the outcome of a job relayed from another machine goes: back there, as a frame. The
 * worker's answer passes undecoded ({@link PoolRuntime#deliver}); a failure here (the worker
 * died, the time limit ran out, the pool was terminated) becomes the frame a worker writes for
 * an exception, so the machine that sent the job reads both alike. The first outcome wins.
 */
final class Relayed implements PendingJob.Sink, Relay {

    private final PoolRuntime runtime;
    private final Duration timeLimit;
    private final Relay.Outcome outcome;
    private final AtomicBoolean done = new AtomicBoolean();
    private volatile boolean interrupted;
    volatile PendingJob job; // set once, before the job is queued

    Relayed(PoolRuntime runtime, Duration timeLimit, Relay.Outcome outcome) {
        this.runtime = runtime;
        this.timeLimit = timeLimit;
        this.outcome = outcome;
    }

    /** The answer of the worker {@code worker}. */
    void answered(byte[] frame, String worker) {
        if (done.compareAndSet(false, true)) {
            outcome.accept(frame, worker);
        }
    }

    @Override
    public void succeeded(PendingJob job, List<?> results) {
        throw new IllegalStateException("a relayed job's answer is not decoded here");
    }

    @Override
    public void failed(PendingJob job, Throwable failure) {
        if (done.compareAndSet(false, true)) {
            outcome.accept(Wire.failure(job.id(), Failure.of(failure)), null);
        }
    }

    @Override
    public Duration timeLimit() {
        return timeLimit;
    }

    @Override
    public boolean timedOut(PendingJob job) {
        if (!done.compareAndSet(false, true)) {
            return false;
        }
        outcome.accept(Wire.failure(job.id(), Failure.of(new TimeoutException(job + " ran longer than its time limit of "
                + timeLimit.toMillis() + " ms; it was interrupted in its worker"))), null);
        runtime.interrupt(job.id(), 1);
        return true;
    }

    @Override
    public boolean cancelled() {
        return interrupted;
    }

    @Override
    public void interrupt() {
        interrupted = true;
        PendingJob queued = job;
        if (runtime.tasks().withdraw(queued.id(), 1)) {
            failed(queued, new CancellationException(queued + " was cancelled before it started"));
        } else {
            runtime.interrupt(queued.id(), 1);
        }
    }
}

package dev.pyloom.multiprocessing;

import dev.pyloom.multiprocessing.spi.JobSource;
import dev.pyloom.multiprocessing.spi.RemoteJob;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place of a pool whose workers are elsewhere, as its
 * {@link dev.pyloom.multiprocessing.spi.RemotePlaces} see it: the pool's queue, and its jobs as
 * frames, whose outcomes are decoded here as a local place's are.
 */
final class RemotePlace implements JobSource {

    private final PoolRuntime runtime;

    RemotePlace(PoolRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public void deliversHere() {
        runtime.placeStarted();
    }

    @Override
    public RemoteJob take() throws InterruptedException {
        PendingJob job = runtime.tasks().take();
        return job == null ? null : new Job(runtime, job);
    }

    @Override
    public void whenDrained(Runnable action) {
        runtime.tasks().ranDry().thenRun(action);
    }

    @Override
    public boolean isTerminated() {
        return runtime.tasks().isTerminated();
    }

    @Override
    public void putBack(List<RemoteJob> unsent) {
        List<PendingJob> jobs = new ArrayList<>(unsent.size());
        for (RemoteJob job : unsent) {
            jobs.add(((Job) job).job);
        }
        for (PendingJob abandoned : runtime.tasks().putBack(jobs)) {
            runtime.abandon(abandoned);
        }
    }

    @Override
    public void finished() {
        runtime.placeFinished();
    }

    /** A job of the pool's queue, as frames. */
    private record Job(PoolRuntime runtime, PendingJob job) implements RemoteJob {

        @Override
        public long id() {
            return job.id();
        }

        @Override
        public byte[] task() {
            return job.submission().task();
        }

        @Override
        public byte[] calls() {
            try {
                return job.calls();
            } catch (IllegalArgumentException cannotEncode) {
                job.failed(cannotEncode);
                throw cannotEncode;
            }
        }

        @Override
        public int size() {
            return job.size();
        }

        @Override
        public Duration timeLimit() {
            return job.sink().timeLimit();
        }

        @Override
        public boolean cancelled() {
            return job.sink().cancelled();
        }

        @Override
        public void started(String where) {
            job.started(where);
        }

        @Override
        public void answered(byte[] outcome, String where) {
            runtime.deliver(job, outcome, where, false); // numbered by the pool that ran it
        }

        @Override
        public void failed(Throwable failure) {
            job.failed(failure);
        }

        @Override
        public void abandon() {
            runtime.abandon(job);
        }

        @Override
        public String toString() {
            return job.toString();
        }
    }
}

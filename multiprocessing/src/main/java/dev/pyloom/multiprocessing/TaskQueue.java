package dev.pyloom.multiprocessing;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The pool's jobs that no worker has taken yet, oldest first: Python's {@code _taskqueue}.
 *
 * <pre>
 *   OPEN --close()--> CLOSED           no new submissions or feeds; the feeds already open go on;
 *                                      take() returns null once the queue is empty and they have ended
 *   OPEN | CLOSED --terminate()--> TERMINATED   emptied, feeds ended; take() returns null at once
 *   OPEN | CLOSED --breakDown()--> BROKEN       the same, because workers cannot start
 * </pre>
 *
 * <p>Jobs come in two ways: all of a submission's at once ({@code apply}, {@code map}), or one at
 * a time from a {@link Feeder} ({@code imap}), which reads its items as the workers take its jobs.
 * A feeder waits while {@link Feeder#highWater} of its jobs are queued, and is woken when the
 * places have taken it down to {@link Feeder#lowWater}: enough queued for the places to send
 * ahead, never the whole iterable.
 */
final class TaskQueue {

    private enum State { OPEN, CLOSED, TERMINATED, BROKEN }

    /** What ending the queue left behind: the jobs no worker will run, and the feeds cut short. */
    record Ended(List<PendingJob> jobs, List<Feeder> feeders) {}

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Signalled when a feeder's queued jobs fall to its low water, and when the queue ends. */
    private final Condition roomForFeeders = lock.newCondition();
    private final ArrayDeque<PendingJob> jobs = new ArrayDeque<>(); // guarded by lock
    private final List<Feeder> feeders = new ArrayList<>();        // open feeds; guarded by lock
    /** Completed once the queue takes no more work and, at that moment or later, has none left. */
    private final CompletableFuture<Void> ranDry = new CompletableFuture<>();
    private State state = State.OPEN;                               // guarded by lock
    private String brokenBecause;                                   // guarded by lock

    /**
     * Adds jobs, in order.
     *
     * @throws IllegalStateException if the pool no longer accepts work
     */
    void submit(List<PendingJob> more) {
        lock.lock();
        try {
            requireOpenLocked();
            jobs.addAll(more);
            // One waiting place per job: waking them all for one job would send all but one back
            // to sleep, on cores the workers need.
            for (int i = 0; i < more.size() && lock.hasWaiters(changed); i++) {
                changed.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** @throws IllegalStateException if the pool no longer accepts work, saying why */
    void requireOpen() {
        lock.lock();
        try {
            requireOpenLocked();
        } finally {
            lock.unlock();
        }
    }

    private void requireOpenLocked() {
        switch (state) {
            case OPEN -> { }
            case CLOSED -> throw new IllegalStateException("pool is closed: it accepts no more tasks");
            case TERMINATED -> throw new IllegalStateException("pool is terminated: it accepts no more tasks");
            case BROKEN -> throw new IllegalStateException("pool is broken: " + brokenBecause);
        }
    }

    /**
     * Opens a feed: from now on {@code feeder} adds its jobs one at a time with {@link #feed},
     * until {@link #closeFeed}.
     *
     * @throws IllegalStateException if the pool no longer accepts work
     */
    void openFeed(Feeder feeder) {
        lock.lock();
        try {
            requireOpenLocked();
            feeders.add(feeder);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds one job of {@code feeder}'s, first waiting while its high water of jobs is queued.
     * Returns false, adding nothing, once the queue has been terminated or broken (then whoever
     * ended it ends the feed). Accepted while the queue is closed: a feed open before the pool's
     * {@code shutdown()} goes on, as Python's task handler feeds an imap already submitted.
     */
    boolean feed(Feeder feeder, PendingJob job) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            for (;;) {
                if (state == State.TERMINATED || state == State.BROKEN) {
                    return false;
                }
                if (feeder.queued < feeder.highWater) {
                    break;
                }
                roomForFeeders.await();
            }
            jobs.addLast(job);
            feeder.queued++;
            feeder.fed++;
            if (lock.hasWaiters(changed)) {
                changed.signal();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The feeder has fed its last job: a closed queue can now run dry. */
    void closeFeed(Feeder feeder) {
        lock.lock();
        try {
            if (feeders.remove(feeder) && feeders.isEmpty() && state == State.CLOSED) {
                changed.signalAll(); // places waiting for the feed's next job may now finish
            }
            noteIfDry();
        } finally {
            lock.unlock();
        }
    }

    /** The next job, waiting for one; null when there will be none. */
    PendingJob take() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            for (;;) {
                if (state == State.TERMINATED || state == State.BROKEN) {
                    return null;
                }
                PendingJob next = jobs.pollFirst();
                if (next != null) {
                    return taken(next);
                }
                if (state == State.CLOSED && feeders.isEmpty()) {
                    return null;
                }
                changed.await();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The next job if there is one now; null otherwise. */
    PendingJob poll() {
        lock.lock();
        try {
            PendingJob next = state == State.TERMINATED || state == State.BROKEN ? null : jobs.pollFirst();
            return next == null ? null : taken(next);
        } finally {
            lock.unlock();
        }
    }

    /** A place took {@code job}: if it was fed, its feeder may have room again. Lock held. */
    private PendingJob taken(PendingJob job) {
        noteIfDry();
        Feeder feeder = job.feeder();
        if (feeder != null && --feeder.queued <= feeder.lowWater && lock.hasWaiters(roomForFeeders)) {
            roomForFeeders.signalAll();
        }
        return job;
    }

    /** How many jobs wait for a worker. */
    int size() {
        lock.lock();
        try {
            return jobs.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Puts jobs a worker took but never started back at the front, in order, for the next
     * worker. Once the queue is terminated or broken they are not taken back: they are returned,
     * to be failed.
     */
    List<PendingJob> putBack(List<PendingJob> unstarted) {
        lock.lock();
        try {
            if (state == State.TERMINATED || state == State.BROKEN) {
                return unstarted;
            }
            for (int i = unstarted.size() - 1; i >= 0; i--) {
                PendingJob job = unstarted.get(i);
                jobs.addFirst(job);
                if (job.feeder() != null) {
                    job.feeder().queued++;
                }
                changed.signal();
            }
            return List.of();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes the jobs with ids {@code firstId} to {@code firstId + count - 1} if no worker has
     * taken any of them; false (and nothing removed) if a worker has (or had) one.
     */
    boolean withdraw(long firstId, int count) {
        lock.lock();
        try {
            long queued = jobs.stream().filter(job -> job.id() >= firstId && job.id() < firstId + count).count();
            if (queued != count) {
                return false; // all or nothing: a map whose chunks are partly running cannot be half-cancelled
            }
            jobs.removeIf(job -> job.id() >= firstId && job.id() < firstId + count);
            noteIfDry();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Removes those of the jobs with ids {@code firstId} to {@code firstId + count - 1} that no worker has taken. */
    void withdrawQueued(long firstId, int count) {
        lock.lock();
        try {
            jobs.removeIf(job -> job.id() >= firstId && job.id() < firstId + count);
            noteIfDry();
        } finally {
            lock.unlock();
        }
    }

    void close() {
        lock.lock();
        try {
            if (state == State.OPEN) {
                state = State.CLOSED;
            }
            changed.signalAll();
            noteIfDry();
        } finally {
            lock.unlock();
        }
    }

    /** Empties the queue for good; returns the jobs no worker will ever run, and the feeds cut short. */
    Ended terminate() {
        return end(State.TERMINATED, null);
    }

    /** Empties the queue for good because its jobs cannot run; returns them, and the feeds cut short. */
    Ended breakDown(String because) {
        return end(State.BROKEN, because);
    }

    /**
     * Fails what is left when the last worker place has ended, which only happens with jobs still
     * queued, or feeds still open, if every place failed. Returns them; an empty queue without
     * feeds is left as it is.
     */
    Ended strand() {
        lock.lock();
        try {
            return jobs.isEmpty() && feeders.isEmpty() ? new Ended(List.of(), List.of())
                    : end(State.BROKEN, "no worker is left to run its tasks");
        } finally {
            lock.unlock();
        }
    }

    private Ended end(State next, String because) {
        lock.lock();
        try {
            if (state != State.TERMINATED && state != State.BROKEN) {
                state = next;
                brokenBecause = because;
            }
            Ended ended = new Ended(new ArrayList<>(jobs), List.copyOf(feeders));
            jobs.clear();
            feeders.clear();
            changed.signalAll();
            roomForFeeders.signalAll();
            noteIfDry();
            return ended;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the caller is the thread of an open feed: inside an imap's iterable. */
    boolean isFeederThread() {
        lock.lock();
        try {
            for (Feeder feeder : feeders) {
                if (feeder.isFeederThread()) {
                    return true;
                }
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Completed once the queue takes no more work (closed, terminated or broken) and has run dry:
     * a worker still starting then has nothing to do. A job put back later (its worker died) is
     * run by the place that put it back.
     */
    CompletableFuture<Void> ranDry() {
        return ranDry;
    }

    /** Lock held. */
    private void noteIfDry() {
        if (state != State.OPEN && jobs.isEmpty() && feeders.isEmpty()) {
            ranDry.complete(null);
        }
    }

    boolean isOpen() {
        lock.lock();
        try {
            return state == State.OPEN;
        } finally {
            lock.unlock();
        }
    }

    boolean isTerminated() {
        lock.lock();
        try {
            return state == State.TERMINATED;
        } finally {
            lock.unlock();
        }
    }

    /** "open", "closed", "terminated" or "broken", for toString(). */
    String describeState() {
        lock.lock();
        try {
            return state.name().toLowerCase(java.util.Locale.ROOT);
        } finally {
            lock.unlock();
        }
    }
}

package dev.pyloom.multiprocessing;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The pool's jobs that no worker has taken yet, oldest first: Python's {@code _taskqueue}.
 *
 * <pre>
 *   OPEN --close()--> CLOSED           no new jobs; take() returns null once the queue is empty
 *   OPEN | CLOSED --terminate()--> TERMINATED   emptied; take() returns null at once
 *   OPEN | CLOSED --breakDown()--> BROKEN       emptied (workers cannot start); take() returns null
 * </pre>
 */
final class TaskQueue {

    private enum State { OPEN, CLOSED, TERMINATED, BROKEN }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<PendingJob> jobs = new ArrayDeque<>(); // guarded by lock
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
                    return next;
                }
                if (state == State.CLOSED) {
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
            return state == State.TERMINATED || state == State.BROKEN ? null : jobs.pollFirst();
        } finally {
            lock.unlock();
        }
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
                jobs.addFirst(unstarted.get(i));
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
            return true;
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
        } finally {
            lock.unlock();
        }
    }

    /** Empties the queue for good; returns the jobs no worker will ever run. */
    List<PendingJob> terminate() {
        return end(State.TERMINATED, null);
    }

    /** Empties the queue for good because its jobs cannot run; returns them. */
    List<PendingJob> breakDown(String because) {
        return end(State.BROKEN, because);
    }

    /**
     * Fails what is left when the last worker place has ended, which only happens with jobs still
     * queued if every place failed. Returns them; an empty queue is left as it is.
     */
    List<PendingJob> strand() {
        lock.lock();
        try {
            return jobs.isEmpty() ? List.of() : end(State.BROKEN, "no worker is left to run its tasks");
        } finally {
            lock.unlock();
        }
    }

    private List<PendingJob> end(State next, String because) {
        lock.lock();
        try {
            if (state != State.TERMINATED && state != State.BROKEN) {
                state = next;
                brokenBecause = because;
            }
            List<PendingJob> abandoned = new ArrayList<>(jobs);
            jobs.clear();
            changed.signalAll();
            return abandoned;
        } finally {
            lock.unlock();
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

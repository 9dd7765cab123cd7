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
 *   state: OPEN -> CLOSED      close(): no new jobs; take() returns null once the queue is empty
 *          OPEN | CLOSED -> TERMINATED   terminate(): the queue is emptied, take() returns null at once
 * </pre>
 */
final class TaskQueue {

    private enum State { OPEN, CLOSED, TERMINATED }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<PendingJob> jobs = new ArrayDeque<>(); // guarded by lock
    private State state = State.OPEN;                               // guarded by lock

    /**
     * Adds jobs, in order.
     *
     * @throws IllegalStateException if the pool no longer accepts work
     */
    void submit(List<PendingJob> more) {
        lock.lock();
        try {
            if (state != State.OPEN) {
                throw new IllegalStateException("pool is " + (state == State.CLOSED ? "closed" : "terminated")
                        + ": it accepts no more tasks");
            }
            jobs.addAll(more);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The next job, waiting for one; null when there will be none (closed and empty, or terminated). */
    PendingJob take() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            for (;;) {
                if (state == State.TERMINATED) {
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

    /** Removes a job no worker has taken; false if a worker has it (or it is done). */
    boolean withdraw(long id) {
        lock.lock();
        try {
            return jobs.removeIf(job -> job.id() == id);
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
        lock.lock();
        try {
            state = State.TERMINATED;
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
}

package dev.pyloom.ipc;

import java.io.IOException;
import java.util.Objects;

/**
 * A {@link Queue} that also counts unfinished work: Python's {@code multiprocessing.JoinableQueue}.
 * Every {@code put} adds a task; a consumer calls {@link #taskDone()} when it has finished with
 * an item it got; {@link #join()} waits until every task put so far is done.
 *
 * <pre>{@code
 * JoinableQueue<Job> jobs = JoinableQueue.of(Job.class);
 * // workers:  Job job = jobs.get(); work(job); jobs.taskDone();
 * jobs.join();   // every job has been worked on
 * }</pre>
 */
public final class JoinableQueue<T> extends Queue<T> {

    JoinableQueue(QueueCore<T> core) {
        super(core);
    }

    /** An unbounded joinable queue of plain JSON values. Python's {@code JoinableQueue()}. */
    public static JoinableQueue<Object> create() {
        return create(0);
    }

    /** A joinable queue of plain JSON values with at most {@code maxsize} items (unbounded if {@code <= 0}). */
    public static JoinableQueue<Object> create(int maxsize) {
        return new JoinableQueue<>(QueueCore.local(Codec.ANY, maxsize, QueueCore.JOINABLE));
    }

    /** An unbounded joinable queue of {@code type}. */
    public static <T> JoinableQueue<T> of(Class<T> type) {
        return of(type, 0);
    }

    /** A joinable queue of {@code type} with at most {@code maxsize} items (unbounded if {@code <= 0}). */
    public static <T> JoinableQueue<T> of(Class<T> type, int maxsize) {
        return new JoinableQueue<>(QueueCore.local(Codec.type(Objects.requireNonNull(type, "type")), maxsize,
                QueueCore.JOINABLE));
    }

    /**
     * The joinable queue whose handle is {@code handle}.
     *
     * @throws IOException if the handle is malformed (or not a joinable queue's), or the owner is unreachable
     */
    public static <T> JoinableQueue<T> fromHandle(String handle, Class<T> type) throws IOException {
        return new JoinableQueue<>(QueueCore.remote(QueueCore.parseHandle(handle),
                Codec.type(Objects.requireNonNull(type, "type")), QueueCore.JOINABLE));
    }

    /**
     * Marks one task done: the one for an item this consumer got. Python's {@code task_done()}.
     *
     * @throws IllegalArgumentException if called more times than items were put (Python's {@code ValueError})
     */
    public void taskDone() throws IOException {
        core.checkOpen();
        core.backend.taskDone();
    }

    /**
     * Waits until every item put so far (by any process) has been marked done. Python's
     * {@code join()}. Returns at once if nothing is unfinished.
     */
    public void join() throws IOException {
        core.checkOpen();
        core.backend.join();
    }
}

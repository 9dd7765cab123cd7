package dev.pyloom.multiprocessing;

import dev.pyloom.common.ServiceThreads;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Reads the items of one {@code imap} (or {@code imapUnordered}) as the workers need them, on a
 * platform (daemon) thread of its own, and queues them in chunks: Python's task-handler thread,
 * for that imap. So {@code imap} returns at once, an iterable too large to hold (or an endless one) is never
 * held, and results come while the items are still being read.
 *
 * <pre>
 *   items --read, a chunk at a time--> Feeder --feed (waits at high water)--> TaskQueue --> places
 *                                        |
 *                                        +--announce / end--> ResultIterator
 * </pre>
 *
 * <p>What the iterable throws ends the reading: the items read before it are queued (the last
 * chunk possibly short), and the exception takes the next position, so that {@code next()} throws
 * it there, as Python's {@code _guarded_task_generation} arranges. The feed ends one of three
 * ways, whichever comes first, once (see {@link #end}):
 * <ul>
 *   <li>the iterable ends, or throws: the iterator learns how many chunks there are;</li>
 *   <li>the pool is terminated, or breaks: {@link #stop} puts the reason where the next chunk
 *       would have been, at once, even while this thread is inside the iterable (it stops reading
 *       as soon as the iterable returns);</li>
 *   <li>the pool's {@code shutdown()} does not end it: as in Python, an imap already submitted is
 *       read to its end, and {@code join()} waits for that.</li>
 * </ul>
 *
 * <p>Python's feeder queues an imap's every item before it looks at the next submission, so a task
 * submitted during an imap over an endless iterable never runs. Here the items of an imap join
 * the queue as they are read: a later task queues behind those read so far, not behind the rest
 * of the iterable.
 */
final class Feeder {

    /*
     * How many of a feeder's jobs the queue holds at most. It trades memory (this many chunks of
     * items read ahead) for throughput: the feeder is woken when the places have taken half, so
     * that it wakes once per many jobs rather than once per job, and the half still queued must
     * keep every place busy, sending PoolWorker.MAX_IN_FLIGHT ahead, until the feeder has a CPU
     * again. Measured on 2 busy cores with trivial tasks, one item a chunk: at 12 jobs a place
     * (6 left when the feeder is woken) the places ran dry while the feeder waited for a CPU, and
     * a fifth of imap's throughput was lost; at 64 a place they did not.
     */
    static int highWater(int processes) {
        return 64 * processes;
    }

    private final TaskQueue tasks;
    private final Submission task;
    private final Iterable<?> items;
    private final int chunkSize;
    private final LongSupplier jobIds;
    private final ResultIterator<?> results;
    private final PendingJob.Sink sink;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile Thread thread; // set once, by start()

    /** The most of its jobs the queue holds; see {@link #highWater(int)}. */
    final int highWater;
    /** At or below this many queued, a waiting feeder is woken. */
    final int lowWater;
    /** Its jobs in the queue, not yet taken by a place. Guarded by the TaskQueue's lock. */
    int queued;
    /**
     * Its jobs queued in all: the index of the next chunk. Guarded by the TaskQueue's lock; only
     * this feeder's thread changes it, and not at all once the queue has ended.
     */
    int fed;

    Feeder(TaskQueue tasks, Submission task, Iterable<?> items, int chunkSize, LongSupplier jobIds,
            ResultIterator<?> results, int highWater) {
        this.tasks = tasks;
        this.task = task;
        this.items = items;
        this.chunkSize = chunkSize;
        this.jobIds = jobIds;
        this.results = results;
        this.sink = results.sink();
        this.highWater = highWater;
        this.lowWater = highWater / 2;
    }

    /*
     * A platform thread, not a virtual one: the iterable is the caller's code, and may compute
     * for long stretches without blocking. On a virtual thread it would hold a carrier all that
     * time, and a few such iterables would starve every virtual thread of the JVM, pyloom's own
     * connection threads among them. An OS thread competes for the CPU as Python's handler
     * thread does, and costs nothing measurable here: the feeder blocks rarely (once per half
     * high water of jobs).
     */
    /** Starts reading; call after the queue has opened the feed. */
    void start(String threadName) {
        thread = ServiceThreads.daemon(threadName).unstarted(this::run);
        thread.start();
    }

    /** Whether the caller is this feeder's thread, that is, inside the imap's iterable. */
    boolean isFeederThread() {
        return Thread.currentThread() == thread;
    }

    /**
     * The pool ended while this feed was open: the rest of the items will never run, and
     * {@code reason} takes their place. Called after the queue has ended, so no job is fed after
     * it.
     */
    void stop(Throwable reason) {
        end(reason);
    }

    private void run() {
        try {
            feedAll();
        } catch (InterruptedException e) {
            // nothing of the pool's interrupts this thread; if someone does, the reading ends here
            end(new CancellationException("reading the items of " + task.describe() + " was interrupted"));
        } finally {
            tasks.closeFeed(this);
            results.readingEnded().complete(null);
        }
    }

    private void feedAll() throws InterruptedException {
        Iterator<?> iterator;
        try {
            iterator = items.iterator();
        } catch (Throwable thrown) { // what the iterable throws is reported at its position
            end(thrown);
            return;
        }
        for (;;) {
            Chunk chunk = read(iterator);
            if (!chunk.items().isEmpty()) {
                PendingJob job = PendingJob.fed(jobIds.getAsLong(), task, chunk.items(), sink, fed, this);
                if (!tasks.feed(this, job)) {
                    return; // the pool ended; whoever ended it has stopped this feed
                }
                results.announce(fed);
            }
            if (chunk.failure() != null || chunk.items().size() < chunkSize) {
                end(chunk.failure());
                return;
            }
        }
    }

    /** Up to a chunk's worth of items, and what the iterable threw, if it did (the chunk then ends there). */
    private record Chunk(List<Object> items, Throwable failure) {}

    private Chunk read(Iterator<?> iterator) {
        List<Object> chunk = new ArrayList<>(chunkSize);
        try {
            while (chunk.size() < chunkSize && iterator.hasNext()) {
                chunk.add(iterator.next());
            }
        } catch (Throwable thrown) { // an Error too: it is this imap's alone, and its consumer must hear of it
            return new Chunk(chunk, thrown);
        }
        return new Chunk(chunk, null);
    }

    /**
     * Tells the iterator how many chunks there are: {@link #fed}, plus one for {@code failure}
     * if there is one. Once: the first of the iterable's end and the pool's end decides.
     */
    private void end(Throwable failure) {
        if (ended.compareAndSet(false, true)) {
            results.end(fed, failure);
        }
    }
}

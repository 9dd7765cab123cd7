package dev.pyloom.multiprocessing;

import dev.pyloom.ipc.Connection;
import dev.pyloom.ipc.internal.SocketThreads;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes the large jobs a place sends ahead to its worker, in order, on a thread of its own, so
 * that the place goes on reading answers while they are written.
 *
 * <p>This is what keeps a pool's connection from deadlocking. A worker reads a job, runs it and
 * writes the answer, and reads nothing while it writes. If the place were writing the next job
 * at that moment, and both frames were larger than what the sockets buffer (about 200 KiB on
 * Linux), each side would wait in {@code write()} for the other to read, forever. So the place
 * never blocks writing while its worker may be blocked writing. A job that goes to an idle
 * worker (nothing in flight, so the worker is reading) the place writes itself; so is a job sent
 * ahead that, with what the worker has not read yet, fits well within a socket's buffer (such a
 * write cannot wait). Any other job sent ahead (the worker may be answering an earlier one) is
 * written here while the place reads.
 *
 * <p>The thread starts with the first frame and waits for the next one between bursts (a
 * platform thread, as every thread of pyloom's that waits for a socket: see ipc's
 * {@code SocketThreads}); it ends when the worker is gone ({@link #close()}). A write that fails
 * (the worker died) closes the connection, so that the place's read fails too and the place
 * buries the worker, putting the unstarted jobs back in the queue.
 */
final class AheadWriter {

    private final Connection connection;
    private final String name;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<byte[]> frames = new ArrayDeque<>(); // guarded by lock
    private final Condition queued = lock.newCondition();
    private boolean writing;                                       // frames are queued or being written; guarded by lock
    private boolean failed;                                        // guarded by lock
    private boolean closed;                                        // guarded by lock
    private Thread thread;                                         // started with the first frame; guarded by lock

    AheadWriter(Connection connection, String name) {
        this.connection = connection;
        this.name = name;
    }

    /** Whether nothing is queued or being written: a frame written elsewhere now comes after all it wrote. */
    boolean idle() {
        lock.lock();
        try {
            return !writing;
        } finally {
            lock.unlock();
        }
    }

    /** Queues a frame to be written after those queued before it; returns at once. */
    void write(byte[] frame) {
        lock.lock();
        try {
            if (failed) {
                return; // the connection is closed; the place's read is about to find out
            }
            if (closed) {
                return;
            }
            frames.addLast(frame);
            writing = true;
            if (thread == null) {
                thread = SocketThreads.start(name, this::drain);
            } else {
                queued.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The worker is gone: what is queued is dropped, and the thread ends. */
    void close() {
        lock.lock();
        try {
            closed = true;
            frames.clear();
            queued.signal();
        } finally {
            lock.unlock();
        }
    }

    private void drain() {
        for (;;) {
            byte[] frame;
            lock.lock();
            try {
                while ((frame = frames.pollFirst()) == null) {
                    writing = false;
                    if (closed || failed) {
                        return;
                    }
                    queued.awaitUninterruptibly();
                }
            } finally {
                lock.unlock();
            }
            try {
                connection.sendBytes(frame);
            } catch (Throwable gone) { // an Error too: the place must not wait for answers to jobs never written
                lock.lock();
                try {
                    failed = true;
                    frames.clear();
                    writing = false;
                } finally {
                    lock.unlock();
                }
                try {
                    connection.close();
                } catch (IOException ignored) {
                    // closing is the point
                }
                if (gone instanceof Error error) {
                    throw error;
                }
                return;
            }
        }
    }
}

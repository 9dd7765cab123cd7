package dev.pyloom.asyncio.streams;

import dev.pyloom.asyncio.EventLoop;
import dev.pyloom.asyncio.Future;
import dev.pyloom.asyncio.internal.LoopAccess;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The bytes a {@link Transport} has queued for its write pump, and the flow control over them:
 * CPython's transport write buffer with its high- and low-water marks
 * ({@code transports._FlowControlMixin}) and the stream side that makes {@code drain()} wait
 * ({@code streams.FlowControlMixin}).
 *
 * <pre>
 *   write() ─► add() ─► pending ─► take() ─► write pump ─► written(n) ─► back at the low mark?
 *                (over the high mark: paused)                              │ yes: on the loop
 *   drain() ─► paused? wait ◄──────────────────────────── resumeWriting() ◄┘
 * </pre>
 *
 * <p>Writing is paused when more than the high-water mark is queued, and resumed once the bytes
 * queued or being written are back at or under the low-water mark: the gap between the two marks
 * keeps a writer from waking for every chunk the pump writes.
 *
 * <p>The buffer has no lock of its own. The queue, its size, the marks and the paused flag are
 * guarded by the transport's lock, held by every caller of the methods that touch them: the
 * transport checks its own state in the same critical section, so that a write takes the lock
 * once. The drain waiters are only touched on the loop.
 */
final class WriteBuffer {

    private static final LoopAccess ACCESS = LoopAccess.get();

    /*
     * Python's default write-buffer limits: writers are paused above 64 KiB queued and resumed
     * at 16 KiB. Higher means fewer pauses and more memory per slow peer.
     */
    static final int DEFAULT_HIGH_WATER = 64 * 1024;

    /*
     * The most take() joins into one array: enough for one syscall to carry many small writes,
     * small enough that a writer who queued a gigabyte without drain() costs no gigabyte copy,
     * made while write() waits for the lock.
     */
    private static final int MAX_JOINED = 1 << 20;

    private final EventLoop loop;

    // ---- guarded by the transport's lock
    private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
    private long size;                             // queued plus being written
    private int highWater = DEFAULT_HIGH_WATER;
    private int lowWater = DEFAULT_HIGH_WATER / 4;
    private boolean paused;                        // size went over highWater, not yet under lowWater

    // ---- only touched on the loop
    private final List<Future<Void>> drainWaiters = new ArrayList<>(1);
    private boolean lost;
    private IOException lostCause;

    WriteBuffer(EventLoop loop) {
        this.loop = loop;
    }

    // =====================================================================================
    // The queue and its marks: holding the transport's lock

    /** Queues a copy of {@code data[offset, offset + length)}; pauses writing above the high mark. */
    void add(byte[] data, int offset, int length) {
        pending.add(Arrays.copyOfRange(data, offset, offset + length)); // the caller may reuse its array
        size += length;
        if (size > highWater) {
            paused = true;
        }
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    /** Python's {@code get_write_buffer_size()}: bytes queued and not yet written. */
    long size() {
        return size;
    }

    /** Whether {@code drain()} must wait: over the high mark, not yet back to the low one. */
    boolean isPaused() {
        return paused;
    }

    /**
     * Python's {@code set_write_buffer_limits(high, low)}; -1 means Python's default for that
     * limit. Returns whether writing resumed: then the loop must {@link #resumeWriting}.
     *
     * @throws IllegalArgumentException unless {@code high >= low >= 0}
     */
    boolean setLimits(int high, int low) {
        int h = high >= 0 ? high : (low >= 0 ? 4 * low : DEFAULT_HIGH_WATER);
        int l = low >= 0 ? low : h / 4;
        if (h < l) {
            throw new IllegalArgumentException("high (" + h + ") must be >= low (" + l + ") must be >= 0");
        }
        highWater = h;
        lowWater = l;
        // As CPython's _maybe_pause_protocol, and never losing a paused writer's wake-up:
        // paused above the new high mark; resumed only once at or under the new low mark.
        if (size > highWater) {
            paused = true;
        } else if (paused && size <= lowWater) {
            paused = false;
            return true;
        }
        return false;
    }

    /**
     * The queued bytes for the write pump, many small writes joined into one array (up to
     * MAX_JOINED), or null if none are queued. They count in {@link #size} until {@link #written}.
     */
    byte[] take() {
        if (pending.size() <= 1 || pending.peek().length >= MAX_JOINED) {
            return pending.poll();
        }
        byte[] all = new byte[(int) Math.min(MAX_JOINED, size)];
        int at = 0;
        while (!pending.isEmpty() && at + pending.peek().length <= all.length) {
            byte[] next = pending.poll();
            System.arraycopy(next, 0, all, at, next.length);
            at += next.length;
        }
        return at == all.length ? all : Arrays.copyOf(all, at);
    }

    /** The pump wrote {@code n} bytes. Returns whether writing resumed: then the loop must {@link #resumeWriting}. */
    boolean written(int n) {
        size -= n;
        if (paused && size <= lowWater) {
            paused = false;
            return true;
        }
        return false;
    }

    /** Drops everything queued: the transport closed. */
    void clear() {
        pending.clear();
        size = 0;
        paused = false;
    }

    // =====================================================================================
    // The drain waiters: on the loop

    /**
     * CPython's {@code FlowControlMixin._drain_helper}: fails once the connection is lost;
     * otherwise, if writing is {@code paused} (as the transport read {@link #isPaused} under its
     * lock), waits for {@link #resumeWriting} or {@link #connectionLost}. An await point only
     * when it waits.
     */
    void drain(boolean paused) throws IOException {
        if (lost) {
            throw new IOException("Connection lost");
        }
        if (!paused) {
            return;
        }
        // The pump's "resumed" message runs on the loop, after this waiter is in the list.
        Future<Void> waiter = loop.createFuture();
        drainWaiters.add(waiter);
        try {
            ACCESS.awaitDone("drain", waiter);
        } finally {
            drainWaiters.remove(waiter);
        }
        if (lostCause != null) {
            throw lostCause;
        }
    }

    /** CPython's {@code resume_writing()}: wakes every {@link #drain} waiting. */
    void resumeWriting() {
        for (Future<Void> waiter : List.copyOf(drainWaiters)) {
            if (!waiter.done()) {
                waiter.setResult(null);
            }
        }
    }

    /** The connection is lost ({@code cause} null if it closed cleanly): drain() wakes and fails from now on. */
    void connectionLost(IOException cause) {
        lost = true;
        lostCause = cause;
        resumeWriting();
    }
}

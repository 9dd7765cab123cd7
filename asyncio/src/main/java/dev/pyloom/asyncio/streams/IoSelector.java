package dev.pyloom.asyncio.streams;

import dev.pyloom.asyncio.EventLoop;
import dev.pyloom.asyncio.ExceptionContext;
import dev.pyloom.asyncio.internal.LoopAccess;
import dev.pyloom.common.ServiceThreads;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The reading side of a loop's TCP connections: one thread that waits for every socket of the
 * loop at once and reads whichever is ready. CPython's selector, moved off the loop's thread.
 *
 * <pre>
 *   sockets ──► epoll (Selector) ──► this thread reads every ready socket ──┐
 *                                                                          ▼
 *   loop ◄── one callSoonThreadsafe per round, carrying every chunk read in it ──► StreamReaders
 * </pre>
 *
 * <p>Why one thread for all the sockets rather than a virtual thread per socket parked on the
 * JDK's poller, as for pipes: a busy server reads from many sockets at once, and handing each
 * chunk from its own thread to the loop costs a wake-up per chunk (a futex call, a context
 * switch). Here a round of the selector reads from every ready socket and wakes the loop once.
 * The channels are in non-blocking mode, so a read never waits; each transport's write pump
 * writes without blocking either, and asks this thread to tell it when a full socket drains.
 *
 * <p>Everything that touches a {@link SelectionKey} runs on this thread: other threads send it
 * requests ({@link #execute}), waking it only if it is not already awake.
 */
final class IoSelector implements AutoCloseable, Runnable {

    private static final LoopAccess ACCESS = LoopAccess.get();

    /* One read takes at most this much: CPython reads 256 KiB at most per ready socket. */
    private static final int READ_CHUNK = 64 * 1024;

    private final EventLoop loop;
    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> requests = new ConcurrentLinkedQueue<>();
    /* True from a wakeup() until the selector thread has seen it: saves a system call per request. */
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private volatile boolean closed;
    /* Set as the thread ends, for whatever reason: requests are then run by whoever sends them. */
    private volatile boolean finished;

    // ---- only touched on the selector thread
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(READ_CHUNK);
    private List<Runnable> deliveries = new ArrayList<>();

    private IoSelector(EventLoop loop) throws IOException {
        this.loop = loop;
        this.selector = Selector.open();
        this.thread = ServiceThreads.daemon("pyloom-asyncio-selector").unstarted(this);
    }

    /** The thread that reads {@code loop}'s sockets, started on first use. Call on the loop. */
    static IoSelector of(EventLoop loop) throws IOException {
        return ACCESS.attachment(loop, IoSelector.class, IoSelector::started);
    }

    private static IoSelector started(EventLoop loop) throws IOException {
        IoSelector selector = new IoSelector(loop);
        selector.thread.start();
        return selector;
    }

    /** Runs {@code request} on the selector thread, soon. Any thread. */
    void execute(Runnable request) {
        requests.add(request);
        if (wakeupPending.compareAndSet(false, true)) {
            selector.wakeup();
        }
        if (finished) {
            runRequests(); // nobody else will: each fails its transport on the closed selector
        }
    }

    private void runRequests() {
        for (Runnable request; (request = requests.poll()) != null; ) {
            try {
                request.run();
            } catch (RuntimeException e) {
                report(e);
            }
        }
    }

    private void report(Exception e) {
        ACCESS.callSoonThreadsafeIfOpen(loop, () -> loop.callExceptionHandler(
                new ExceptionContext("the loop's I/O selector failed", e, null, null)));
    }

    /** Starts reading {@code channel} (non-blocking) for {@code transport}. Any thread. */
    void register(SocketChannel channel, SocketTransport transport) {
        execute(() -> {
            try {
                channel.register(selector, transport.interestOps(), transport);
            } catch (ClosedChannelException e) {
                transport.failFromSelector(e); // closed before we got to it
            } catch (RuntimeException e) { // the selector is closed (the loop closed, or this thread failed)
                transport.failFromSelector(new IOException("the loop's I/O selector is closed", e));
            }
        });
    }

    /** Makes the selector wait for what {@code transport} wants now (see SocketTransport.interestOps). Any thread. */
    void interest(SocketChannel channel, SocketTransport transport) {
        execute(() -> {
            SelectionKey key = channel.keyFor(selector);
            if (key != null && key.isValid()) {
                try {
                    key.interestOps(transport.interestOps());
                } catch (CancelledKeyException closing) {
                    // the channel was closed meanwhile: nothing to wait for
                }
            }
        });
    }

    /** Wakes the selector so that it lets go of channels closed meanwhile. Any thread. */
    void wakeup() {
        if (wakeupPending.compareAndSet(false, true)) {
            selector.wakeup(); // does nothing once the selector is closed
        }
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
    }

    /*
     * Each round:
     * - wait until a socket is ready or a request arrives;
     * - run the requests (registrations, interest changes) that came meanwhile;
     * - read every readable socket until it has nothing more, and wake the write pumps of every
     *   writable one;
     * - hand the loop everything read in this round at once.
     */
    @Override
    public void run() {
        try {
            while (!closed) {
                selector.select();
                wakeupPending.set(false); // before the requests: one sent after this wakes the next select
                runRequests();
                for (SelectionKey key : selector.selectedKeys()) {
                    SocketTransport transport = (SocketTransport) key.attachment();
                    try {
                        if (key.isValid() && key.isWritable()) {
                            transport.writable();
                            key.interestOps(transport.interestOps());
                        }
                        if (key.isValid() && key.isReadable()) {
                            read((SocketChannel) key.channel(), key, transport);
                        }
                    } catch (CancelledKeyException closing) {
                        // closed while we looked at it
                    } catch (RuntimeException e) { // one connection's trouble, not the loop's
                        key.cancel();
                        transport.failFromSelector(new IOException("reading the socket failed: " + e, e));
                    }
                }
                selector.selectedKeys().clear();
                deliver();
            }
        } catch (IOException | RuntimeException e) {
            report(e);
        } finally {
            // Whatever ended this thread, no socket of the loop is left waiting for it: every
            // connection it was reading fails (a close() of the loop has closed them already),
            // and later requests run where they are sent, failing their transports.
            deliver();
            for (SelectionKey key : List.copyOf(keysOrNone())) {
                ((SocketTransport) key.attachment()).failFromSelector(new IOException("the loop's I/O selector stopped"));
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // nothing more to read from anyway
            }
            finished = true;
            runRequests();
        }
    }

    private java.util.Set<SelectionKey> keysOrNone() {
        try {
            return selector.keys();
        } catch (RuntimeException closed) {
            return java.util.Set.of();
        }
    }

    private void read(SocketChannel channel, SelectionKey key, SocketTransport transport) {
        try {
            buffer.clear();
            int n = channel.read(buffer);
            if (n > 0) {
                byte[] data = new byte[n];
                buffer.flip().get(data);
                deliveries.add(() -> transport.dataReceived(data));
                if (transport.readAhead(n)) {
                    key.interestOps(transport.interestOps()); // until the loop has taken some in
                }
            } else if (n < 0) {
                transport.sawEof();
                key.interestOps(transport.interestOps()); // half-closed: writing may go on
                deliveries.add(transport::eofReceived);
            }
        } catch (IOException e) {
            key.cancel();
            deliver(); // what was read before the failure goes first
            transport.failFromSelector(e);
        }
    }

    private void deliver() {
        if (!deliveries.isEmpty()) {
            List<Runnable> batch = deliveries;
            deliveries = new ArrayList<>();
            ACCESS.callSoonThreadsafeIfOpen(loop, () -> batch.forEach(Runnable::run));
        }
    }
}

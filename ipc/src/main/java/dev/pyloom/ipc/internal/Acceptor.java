package dev.pyloom.ipc.internal;

import dev.pyloom.ipc.AuthenticationException;
import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.LinkedHashSet;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Accepts connections on a listening socket and runs each one's {@link Handshake} on its own
 * virtual thread, handing out only the connections that passed.
 *
 * <p>Python's {@code Listener.accept()} authenticates inside the call, one client at a time, so
 * a client that connects and stays silent holds up every other. Here handshakes run side by
 * side, each with a deadline, and the loop that accepts never waits for them: a silent or slow
 * peer costs only its own connection. At most {@link #MAX_HANDSHAKES} (or as many as the listener
 * was given) are in progress at once; one more pushes out the oldest that has not answered at
 * all (or, if every one has, the oldest), and peers are pushed out no faster than one a
 * millisecond, so that peers that connect again as soon as they are pushed out cannot push out
 * a good client before its first answer: it has that many milliseconds to give it. A failed handshake is logged (at DEBUG) and
 * forgotten, and the listener carries on.
 */
public final class Acceptor implements Closeable {

    /**
     * How many handshakes may be in progress at once by default; one more gives up the oldest
     * silent one. Each costs a socket and a few kilobytes; a good client is pushed out only if
     * this many others connect within its first round trip.
     */
    public static final int MAX_HANDSHAKES = 1024;

    /** The least time between two peers pushed out (see pauseBetweenPushOuts). */
    static final Duration PUSH_OUT_INTERVAL = Duration.ofMillis(1);

    /** Authenticated connections nobody has taken yet; more make the handshakes wait. */
    private static final int READY_CAPACITY = 128;

    private static final System.Logger LOG = System.getLogger("dev.pyloom.ipc");
    private static final FrameChannel CLOSED = FrameChannel.marker();

    private final ServerSocketChannel server;
    private final SocketAddress address;
    private final byte[] key;
    private final int maxFrameBytes;
    private final Duration handshakeTimeout;
    private final int maxHandshakes;
    private final BlockingQueue<FrameChannel> ready = new ArrayBlockingQueue<>(READY_CAPACITY);
    private final ReentrantLock pendingLock = new ReentrantLock();
    private final LinkedHashSet<Pending> pending = new LinkedHashSet<>(); // oldest first; guarded by pendingLock
    private volatile boolean closed;

    /** A handshake in progress, and whether its peer has said anything yet. */
    private static final class Pending {
        final FrameChannel channel;
        volatile boolean heard;

        Pending(FrameChannel channel) {
            this.channel = channel;
        }
    }

    public Acceptor(SocketAddress address, int backlog, byte[] key, int maxFrameBytes, Duration handshakeTimeout)
            throws IOException {
        this(address, backlog, key, maxFrameBytes, handshakeTimeout, MAX_HANDSHAKES);
    }

    public Acceptor(SocketAddress address, int backlog, byte[] key, int maxFrameBytes, Duration handshakeTimeout,
            int maxHandshakes) throws IOException {
        this.server = Sockets.listen(address, backlog);
        this.address = server.getLocalAddress();
        this.key = key == null ? null : key.clone();
        this.maxFrameBytes = maxFrameBytes;
        this.handshakeTimeout = handshakeTimeout;
        this.maxHandshakes = maxHandshakes;
        SocketThreads.start("pyloom-ipc-accept " + this.address, this::acceptLoop);
    }

    /** The address clients connect to; for TCP port 0, the port actually bound. */
    public SocketAddress address() {
        return address;
    }

    /**
     * The next authenticated connection, waiting for one.
     *
     * @throws IOException if the acceptor is closed (before or while waiting)
     */
    public FrameChannel accept() throws IOException {
        FrameChannel next;
        try {
            next = ready.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for a connection");
        }
        if (next == CLOSED) {
            ready.offer(CLOSED); // for any other thread waiting in accept()
            throw new IOException("listener is closed");
        }
        return next;
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel socket;
            try {
                socket = server.accept();
            } catch (java.nio.channels.ClosedChannelException closedUnderUs) {
                break;
            } catch (IOException transientFailure) {
                // e.g. out of file descriptors: keep listening once the moment has passed
                LOG.log(Level.WARNING, "listener on " + address + " failed to accept; retrying", transientFailure);
                pauseAfterFailure();
                continue;
            }
            Pending handshake;
            try {
                handshake = new Pending(new FrameChannel(socket, maxFrameBytes));
            } catch (IOException unusable) {
                LOG.log(Level.DEBUG, () -> "dropped a connection to " + address + ": " + unusable.getMessage());
                closeQuietly(socket);
                continue;
            }
            Pending pushedOut = admit(handshake);
            SocketThreads.start("pyloom-ipc-handshake", () -> shakeHands(handshake));
            if (pushedOut != null) {
                pushedOut.channel.failed(new AuthenticationException("handshake given up: " + maxHandshakes
                        + " others were in progress, and this peer had " + (pushedOut.heard ? "been slowest" : "said nothing")));
                pauseBetweenPushOuts();
            }
        }
        shutDown();
    }

    /** Adds a handshake; returns the one it pushes out, if as many as allowed were in progress. */
    private Pending admit(Pending handshake) {
        pendingLock.lock();
        try {
            Pending pushedOut = null;
            if (pending.size() >= maxHandshakes) {
                for (Pending candidate : pending) {
                    if (!candidate.heard) {
                        pushedOut = candidate;
                        break;
                    }
                }
                if (pushedOut == null) {
                    pushedOut = pending.iterator().next();
                }
                pending.remove(pushedOut);
            }
            pending.add(handshake);
            return pushedOut;
        } finally {
            pendingLock.unlock();
        }
    }

    /*
     * A peer pushed out may connect again at once and push out another, which connects again: a
     * storm that would push out a good client before its first answer. Pushing out at most one
     * peer every PUSH_OUT_INTERVAL leaves every handshake at least maxHandshakes intervals to
     * answer; meanwhile new connections wait in the kernel's backlog, good and bad alike.
     */
    private static void pauseBetweenPushOuts() {
        try {
            Thread.sleep(PUSH_OUT_INTERVAL); // not synchronisation: a rate limit
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pauseAfterFailure() {
        try {
            Thread.sleep(100); // not synchronisation: a back-off, so a persistent failure does not spin
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Removes a handshake that is over; false if it had been pushed out (its channel is closed). */
    private boolean leave(Pending handshake) {
        pendingLock.lock();
        try {
            return pending.remove(handshake);
        } finally {
            pendingLock.unlock();
        }
    }

    private void shakeHands(Pending handshake) {
        FrameChannel channel = handshake.channel;
        try {
            Sockets.tuned(channel.socket());
            Handshake.asListener(channel, key, maxFrameBytes, handshakeTimeout, () -> handshake.heard = true);
            if (!leave(handshake)) {
                throw new IOException("handshake given up while it finished");
            }
            ready.put(channel);
            if (closed) {
                shutDown();
            }
        } catch (IOException e) {
            leave(handshake);
            LOG.log(Level.DEBUG, () -> "rejected a connection to " + address + ": " + e.getMessage());
            closeQuietly(channel);
        } catch (InterruptedException e) {
            closeQuietly(channel);
        } catch (RuntimeException | Error bug) {
            // Nothing a peer sends should get here; if something does, that peer is dropped and
            // its slot freed, and the listener goes on.
            leave(handshake);
            LOG.log(Level.WARNING, "dropped a connection to " + address + " whose handshake failed unexpectedly", bug);
            closeQuietly(channel);
        }
    }

    /** Stops accepting; connections already handed out are unaffected. Idempotent. */
    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        if (address instanceof UnixDomainSocketAddress unix) {
            SocketFiles.delete(unix);
        }
        shutDown();
    }

    /* Closes connections nobody took and wakes every accept() with the news. */
    private void shutDown() {
        FrameChannel unclaimed;
        while ((unclaimed = ready.poll()) != null) {
            if (unclaimed != CLOSED) {
                closeQuietly(unclaimed);
            }
        }
        ready.offer(CLOSED);
    }

    private static void closeQuietly(java.io.Closeable channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a connection we are giving up on
        }
    }
}

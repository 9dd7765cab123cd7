package dev.pyloom.ipc;

import dev.pyloom.ipc.internal.FrameChannel;
import dev.pyloom.ipc.internal.Sockets;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The two ends of a {@link Pipe}, and when their sockets come to exist.
 *
 * <p>A pipe is connected lazily, because where its ends will live is not known when it is made.
 * If both are used here first, they get a socket pair of their own. If one end is sent to another
 * process before either is used, no socket pair is made at all: the socket that process opens
 * when it attaches becomes the other end's socket, so the two processes talk directly. (Python
 * gets the same effect by passing the file descriptor; the JDK cannot.) In the remaining cases an
 * end that leaves after its socket exists is relayed by this process.
 */
final class PipePair {

    private final ReentrantLock lock = new ReentrantLock();
    private boolean claimed; // a socket pair exists, or an end has been promised to another process; guarded by lock
    private Connection end1;
    private Connection end2;

    void setEnds(Connection end1, Connection end2) {
        this.end1 = end1;
        this.end2 = end2;
    }

    Connection partner(Connection end) {
        return end == end1 ? end2 : end1;
    }

    /** Gives both ends a local socket pair, unless the pair has been settled already. */
    void connectLocally(int maxFrameBytes) throws IOException {
        lock.lock();
        try {
            if (claimed) {
                return;
            }
            SocketChannel[] sockets = Sockets.pair();
            claimed = true;
            end1.connect(trusted(sockets[0], maxFrameBytes), Exporter.Confirmation.NONE);
            end2.connect(trusted(sockets[1], maxFrameBytes), Exporter.Confirmation.NONE);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Claims the pair for a direct connection when {@code leaving} goes to another process:
     * true if no socket pair exists yet, so the attaching socket can become the partner's.
     */
    boolean claimDirect() {
        lock.lock();
        try {
            if (claimed) {
                return false;
            }
            claimed = true;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A channel over a socket of a pair made here: no handshake to pass, so its read buffer is
     * the full one at once (a handshake lifts it when the peer has authenticated).
     */
    private static FrameChannel trusted(SocketChannel socket, int maxFrameBytes) throws IOException {
        FrameChannel channel = new FrameChannel(socket, maxFrameBytes);
        channel.setMaxFrameBytes(maxFrameBytes);
        return channel;
    }
}

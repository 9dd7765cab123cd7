package dev.pyloom.ipc;

import dev.pyloom.ipc.internal.FrameChannel;

/**
 * Two connected {@link Connection}s: Python's {@code multiprocessing.Pipe(duplex)}.
 *
 * <pre>{@code
 * Pipe pipe = Pipe.open();               // parent_conn, child_conn = Pipe()
 * Connection parentConn = pipe.conn1();
 * Connection childConn = pipe.conn2();   // hand it to a child process inside a message,
 *                                        // or on its command line with childConn.toHandle()
 * }</pre>
 *
 * <p>A duplex pipe carries messages both ways. A one-way pipe ({@code open(false)}) carries them
 * from {@code conn2} to {@code conn1} only: {@code conn1} can only receive and {@code conn2} can
 * only send, as in Python.
 *
 * <p>The ends connect lazily: within one process they get a socket pair on first use; an end
 * sent to another process before use is connected to its partner directly, by the socket that
 * process opens when it attaches.
 *
 * @param conn1 the first end (the receiving end of a one-way pipe)
 * @param conn2 the second end (the sending end of a one-way pipe)
 */
public record Pipe(Connection conn1, Connection conn2) {

    /** A duplex pipe. Python's {@code Pipe()}. */
    public static Pipe open() {
        return open(true);
    }

    /**
     * A pipe; duplex, or one-way from {@code conn2} to {@code conn1}. Python's
     * {@code Pipe(duplex)}. Never blocks: the sockets are made when they are needed.
     */
    public static Pipe open(boolean duplex) {
        PipePair pair = new PipePair();
        int limit = FrameChannel.DEFAULT_MAX_FRAME_BYTES;
        Connection one = new Connection(pair, true, duplex, limit);
        Connection two = new Connection(pair, duplex, true, limit);
        pair.setEnds(one, two);
        return new Pipe(one, two);
    }
}

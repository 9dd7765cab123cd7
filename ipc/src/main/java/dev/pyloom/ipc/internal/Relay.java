package dev.pyloom.ipc.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Joins two connections byte for byte, in both directions, on two daemon platform threads (see SocketThreads): how a
 * connection that is already in use here still reaches another process that asked for it.
 * Frames pass through untouched; the end of one stream becomes a half-close of the other, so
 * each far end sees the other's end of stream.
 */
public final class Relay {

    private static final int CHUNK_BYTES = 64 << 10;

    private Relay() {}

    public static void splice(FrameChannel a, FrameChannel b) {
        AtomicInteger directionsLeft = new AtomicInteger(2);
        SocketThreads.start("pyloom-ipc-relay", () -> pump(a, b, directionsLeft));
        SocketThreads.start("pyloom-ipc-relay", () -> pump(b, a, directionsLeft));
    }

    /*
     * Copies one direction until its end of stream, which becomes a half-close of the other
     * socket. The second direction to finish closes both sockets; a failure closes both at once
     * (which ends the other direction too).
     */
    private static void pump(FrameChannel from, FrameChannel to, AtomicInteger directionsLeft) {
        try {
            to.writeRaw(from.takeBuffered());
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES);
            while (from.readRaw(chunk) >= 0) {
                to.writeRaw(chunk.flip());
                chunk.clear();
            }
            to.socket().shutdownOutput();
            if (directionsLeft.decrementAndGet() == 0) {
                closeQuietly(from);
                closeQuietly(to);
            }
        } catch (IOException e) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(FrameChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the relay is over either way
        }
    }
}

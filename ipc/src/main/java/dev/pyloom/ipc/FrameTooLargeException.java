package dev.pyloom.ipc;

import java.io.IOException;

/**
 * A frame beyond a connection's limit. Received: the frame announced such a length; the
 * connection is closed, since the stream can no longer be trusted, and no buffer of the announced
 * size was allocated. Sent: a message, or a queue's item to another process, encodes to more than
 * the limit; nothing is sent, and the connection or queue goes on.
 */
public final class FrameTooLargeException extends IOException {

    private static final long serialVersionUID = 1L;

    private final long length;
    private final int limit;

    /** A frame of {@code length} bytes against a limit of {@code limit}. */
    public FrameTooLargeException(long length, int limit) {
        super("frame of " + length + " bytes exceeds the limit of " + limit + " bytes");
        this.length = length;
        this.limit = limit;
    }

    /** A frame of {@code length} bytes against a limit of {@code limit}, explained by {@code message}. */
    public FrameTooLargeException(long length, int limit, String message) {
        super(message);
        this.length = length;
        this.limit = limit;
    }

    /** The length the frame announced (or, when sending, the encoded size). */
    public long length() {
        return length;
    }

    /** The connection's maximum frame size. */
    public int limit() {
        return limit;
    }
}

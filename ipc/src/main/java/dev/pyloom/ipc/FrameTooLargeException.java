package dev.pyloom.ipc;

import java.io.IOException;

/**
 * A frame announced a length beyond the connection's limit. The connection is closed, since the
 * stream can no longer be trusted; no buffer of the announced size was allocated.
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

    /** The length the frame announced (or, when sending, the encoded size). */
    public long length() {
        return length;
    }

    /** The connection's maximum frame size. */
    public int limit() {
        return limit;
    }
}

package dev.pyloom.ipc;

import java.io.IOException;

/**
 * The buffer given to {@link Connection#recvBytesInto(byte[], int)} cannot hold the message
 * that arrived: Python's {@code multiprocessing.BufferTooShort}. Nothing is lost: the whole
 * message is in {@link #message()}, and the connection stays usable.
 */
public final class BufferTooShortException extends IOException {

    private static final long serialVersionUID = 1L;

    private final byte[] message;

    BufferTooShortException(byte[] message, int room) {
        super("message of " + message.length + " bytes does not fit in the " + room + " bytes given");
        this.message = message;
    }

    /** The message that did not fit. */
    public byte[] message() {
        return message.clone();
    }
}

package dev.pyloom.ipc;

import java.io.IOException;

/**
 * What arrived cannot be decoded: a frame of an unknown kind, bytes that are not JSON, or JSON of
 * the wrong shape for the type the receiver asked for. The connection it arrived on is closed;
 * other connections and the process are unaffected.
 */
public final class MalformedMessageException extends IOException {

    private static final long serialVersionUID = 1L;

    /** With a message saying what was wrong. */
    public MalformedMessageException(String message) {
        super(message);
    }

    /** With a message and the decoder's own exception. */
    public MalformedMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}

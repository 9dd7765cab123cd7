package dev.pyloom.ipc;

import java.io.IOException;

/**
 * The HMAC challenge-response between a {@link Listener} and a {@link Client} failed: a wrong
 * key, a missing key, or a peer that does not speak the protocol. Python's
 * {@code multiprocessing.AuthenticationError}. The connection is closed before any message is
 * exchanged.
 */
public final class AuthenticationException extends IOException {

    private static final long serialVersionUID = 1L;

    /** With a message saying what failed. */
    public AuthenticationException(String message) {
        super(message);
    }
}

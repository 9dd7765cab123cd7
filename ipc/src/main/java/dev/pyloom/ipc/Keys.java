package dev.pyloom.ipc;

import java.util.Objects;

/** Checks on auth keys given to the API. */
final class Keys {

    private Keys() {}

    /** A defensive copy of a key, which must not be empty (an HMAC over an empty key proves nothing). */
    static byte[] checked(byte[] key) {
        Objects.requireNonNull(key, "authKey (omit it for no authentication)");
        if (key.length == 0) {
            throw new IllegalArgumentException("authKey must not be empty");
        }
        return key.clone();
    }
}

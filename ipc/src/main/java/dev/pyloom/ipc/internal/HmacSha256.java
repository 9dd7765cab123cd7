package dev.pyloom.ipc.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * HMAC-SHA256 (RFC 2104) over the JDK's SHA-256, the handshake's digest. {@code javax.crypto.Mac}
 * computes the same, but its first use initialises the whole JCE (every security provider in
 * turn, the crypto policy files), which costs a fresh JVM tens of milliseconds: for a pool that
 * starts worker JVMs, that is a large part of a worker's start-up. Checked against
 * {@code javax.crypto.Mac} and RFC 4231's test vectors in the tests.
 */
final class HmacSha256 {

    private static final int BLOCK_BYTES = 64;

    private HmacSha256() {}

    /** HMAC-SHA256 of the concatenated {@code parts} under {@code key}. */
    static byte[] of(byte[] key, byte[]... parts) {
        MessageDigest sha256 = sha256();
        byte[] block = new byte[BLOCK_BYTES];
        byte[] shortKey = key.length > BLOCK_BYTES ? sha256.digest(key) : key;
        System.arraycopy(shortKey, 0, block, 0, shortKey.length);

        byte[] pad = new byte[BLOCK_BYTES];
        for (int i = 0; i < BLOCK_BYTES; i++) {
            pad[i] = (byte) (block[i] ^ 0x36);
        }
        sha256.update(pad);
        for (byte[] part : parts) {
            sha256.update(part);
        }
        byte[] inner = sha256.digest();

        for (int i = 0; i < BLOCK_BYTES; i++) {
            pad[i] = (byte) (block[i] ^ 0x5c);
        }
        sha256.update(pad);
        return sha256.digest(inner);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}

package dev.pyloom.cluster.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs what a driver sends a node with the cluster's key, HMAC-SHA256, as pyloom-ipc's
 * {@code Listener} and {@code Client} prove they hold theirs. A node runs nothing whose
 * signature does not check: Hazelcast Community has no authentication of its own, so the
 * signature is what keeps a stranger who can reach a node's port from running code there.
 *
 * <p>Thread-safe: each call uses a {@link Mac} of its own.
 */
public final class Signer {

    private static final String ALGORITHM = "HmacSHA256";

    /** How many bytes a signature has. */
    public static final int LENGTH = 32;

    private final SecretKeySpec key;

    /** @throws IllegalArgumentException if {@code key} is shorter than 16 bytes */
    public Signer(byte[] key) {
        if (key.length < 16) {
            throw new IllegalArgumentException("a cluster's key must be at least 16 bytes, got " + key.length
                    + ": make one with `head -c 32 /dev/urandom | base64` and give the same to the nodes and the driver");
        }
        this.key = new SecretKeySpec(key.clone(), ALGORITHM);
    }

    /** The signature of {@code parts}, each framed by its length (so that no two sequences of parts sign alike). */
    public byte[] sign(Object... parts) {
        Mac mac = mac();
        for (Object part : parts) {
            byte[] bytes = switch (part) {
                case byte[] raw -> raw;
                case String text -> text.getBytes(StandardCharsets.UTF_8);
                case Long number -> ByteBuffer.allocate(Long.BYTES).putLong(number).array();
                case Integer number -> ByteBuffer.allocate(Integer.BYTES).putInt(number).array();
                case null -> new byte[0];
                default -> throw new IllegalArgumentException("cannot sign a " + part.getClass().getName());
            };
            mac.update(ByteBuffer.allocate(Integer.BYTES).putInt(part == null ? -1 : bytes.length).array());
            mac.update(bytes);
        }
        return mac.doFinal();
    }

    /** Whether {@code signature} is {@code parts}' own; in constant time. */
    public boolean verify(byte[] signature, Object... parts) {
        return signature != null && MessageDigest.isEqual(signature, sign(parts));
    }

    private Mac mac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException impossible) { // every JDK has HmacSHA256
            throw new IllegalStateException(impossible);
        }
    }
}

package dev.pyloom.cluster.internal;

import java.util.Arrays;

/**
 * What a {@code ClusterQueue} keeps in its Hazelcast queue: each item's JSON behind its
 * signature with the cluster's key, as one {@code byte[]}, never an object of the program's.
 *
 * <pre>
 *  | HMAC-SHA256 of ("pyloom.queue", the queue's name, json): 32 bytes | json |
 * </pre>
 *
 * <p>Hazelcast Community has no authentication: anyone who reaches a node's port can put
 * anything into any of the cluster's queues. The signature is what lets a consumer tell an
 * item of its own cluster's from a stranger's. The queue's name is signed with the JSON, so an
 * item copied from one queue into another is refused there too. What a signature cannot do is
 * hide an item, or keep a stranger from taking one, or from putting a copy of one back.
 *
 * <p>Thread-safe, as {@link Signer} is.
 */
public final class SignedItems {

    private static final String PURPOSE = "pyloom.queue";
    private static final int SIGNATURE_BYTES = 32;

    private final Signer signer;
    private final String queue;
    private final String description;

    /**
     * The items of the queue {@code queue}, signed by {@code signer}; {@code description}
     * names the queue in the messages of refusals.
     */
    public SignedItems(Signer signer, String queue, String description) {
        this.signer = signer;
        this.queue = queue;
        this.description = description;
    }

    /** {@code json}, signed: what goes into the Hazelcast queue. */
    public byte[] seal(byte[] json) {
        byte[] signature = signer.sign(PURPOSE, queue, json);
        byte[] stored = Arrays.copyOf(signature, SIGNATURE_BYTES + json.length);
        System.arraycopy(json, 0, stored, SIGNATURE_BYTES, json.length);
        return stored;
    }

    /**
     * The JSON inside {@code stored}, an item taken from the Hazelcast queue.
     *
     * @throws SecurityException if it is not an item signed with the cluster's key (it has been
     *                           taken from the queue all the same, and is dropped)
     */
    public byte[] open(Object stored) {
        if (!(stored instanceof byte[] bytes)) {
            throw refused("a " + stored.getClass().getName() + ", not one of pyloom's signed items");
        }
        if (bytes.length < SIGNATURE_BYTES) {
            throw refused("not signed with the cluster's key");
        }
        byte[] json = Arrays.copyOfRange(bytes, SIGNATURE_BYTES, bytes.length);
        if (!signer.verify(Arrays.copyOf(bytes, SIGNATURE_BYTES), PURPOSE, queue, json)) {
            throw refused("not signed with the cluster's key");
        }
        return json;
    }

    /**
     * The refusal of an item that this queue's connection could not even read: an object that
     * Hazelcast serialized in a form pyloom never writes (Java serialization, say).
     */
    public SecurityException unreadable(RuntimeException why) {
        SecurityException refusal = refused("an object this connection does not read (" + why.getMessage() + ")");
        refusal.initCause(why);
        return refusal;
    }

    private SecurityException refused(String what) {
        return new SecurityException(description + " refused an item and dropped it: it is " + what + ". It was put"
                + " by a program with another key, or written into the cluster's Hazelcast queue by something"
                + " other than pyloom (Hazelcast Community has no authentication: anyone who reaches a node's port"
                + " can). The queue goes on: the next get takes the next item.");
    }
}

package dev.pyloom.ipc.internal;

import dev.pyloom.ipc.AuthenticationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import tools.jackson.databind.JsonNode;

/**
 * The opening exchange of every connection: who speaks what protocol and, if the listener has an
 * auth key, proof in both directions that the other side has it too. The shape is Python's
 * {@code multiprocessing.connection} (challenge, HMAC of it, welcome or failure, then the same
 * the other way round), in CONTROL frames:
 *
 * <pre>
 *   listener                                        client
 *   hello {protocol: "pyloom-ipc/1", auth: "hmac-sha256" | "none"}  --&gt;
 *                 (auth "none": the client answers welcome, or failure if it wanted a key; done)
 *   challenge {nonce}                               --&gt;
 *                                                   &lt;--  response {digest: HMAC(key, "pyloom-ipc/1 client " + nonce)}
 *   welcome | failure {reason}                      --&gt;
 *                                                   &lt;--  challenge {nonce}
 *   response {digest: HMAC(key, "pyloom-ipc/1 server " + nonce)} --&gt;
 *                                                   &lt;--  welcome | failure {reason}
 * </pre>
 *
 * <p>Nonces are 32 random bytes; digests are HMAC-SHA256, compared in constant time. The role
 * word inside the MAC stops a peer from reflecting one side's challenge back at it. Until the
 * handshake is over, frames are limited to {@link #HANDSHAKE_FRAME_BYTES} and the whole exchange
 * to a deadline, so a client that connects and says nothing, or says too much, costs little.
 */
public final class Handshake {

    public static final String PROTOCOL = "pyloom-ipc/1";
    public static final int HANDSHAKE_FRAME_BYTES = 1024;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /** Seeded when first needed: a client (a pool's worker, starting) never needs it. */
    private static final class Random {
        static final SecureRandom SOURCE = new SecureRandom();
    }

    private Handshake() {}

    /** A fresh random key, as Python's {@code os.urandom(32)} for a process's authkey. */
    public static byte[] newKey() {
        byte[] key = new byte[32];
        Random.SOURCE.nextBytes(key);
        return key;
    }

    /**
     * The listener's side. Returns normally only if the client proved it has {@code key} (or no
     * key is required); otherwise tells the client why, closes the channel and throws.
     */
    public static void asListener(FrameChannel channel, byte[] key, int maxFrameBytes, Duration timeout)
            throws IOException {
        asListener(channel, key, maxFrameBytes, timeout, () -> { });
    }

    /** As {@link #asListener(FrameChannel, byte[], int, Duration)}, calling {@code heard} once the client has answered at all. */
    public static void asListener(FrameChannel channel, byte[] key, int maxFrameBytes, Duration timeout, Runnable heard)
            throws IOException {
        withDeadline(channel, maxFrameBytes, timeout, () -> {
            Control.send(channel, Control.op("hello").put("protocol", PROTOCOL).put("auth", key == null ? "none" : "hmac-sha256"));
            if (key == null) {
                JsonNode verdict = Control.receive(channel);
                heard.run();
                if (!"welcome".equals(Control.opOf(verdict))) {
                    throw channel.failed(new AuthenticationException("the client refused this listener: "
                            + verdict.path("reason").asString("no reason given")));
                }
                return;
            }
            byte[] nonce = nonce();
            Control.send(channel, Control.op("challenge").put("nonce", Control.base64(nonce)));
            JsonNode response = Control.receive(channel);
            heard.run();
            if (!"response".equals(Control.opOf(response))
                    || !MessageDigest.isEqual(digest(key, "client", nonce), Control.unbase64(response, "digest"))) {
                String reason = Control.unbase64(response, "digest").length == 0
                        ? "this listener requires an authentication key"
                        : "digest received was wrong";
                Control.send(channel, Control.op("failure").put("reason", reason));
                throw channel.failed(new AuthenticationException(reason));
            }
            Control.send(channel, Control.op("welcome"));
            JsonNode challenge = expect(channel, "challenge");
            Control.send(channel, Control.op("response")
                    .put("digest", Control.base64(digest(key, "server", Control.unbase64(challenge, "nonce")))));
            JsonNode verdict = Control.receive(channel);
            if (!"welcome".equals(Control.opOf(verdict))) {
                throw channel.failed(new AuthenticationException("the client refused this listener: "
                        + verdict.path("reason").asString("no reason given")));
            }
        });
    }

    /**
     * The client's side. Returns normally only if the listener proved it has {@code key} (or
     * neither side uses one); otherwise closes the channel and throws, saying what went wrong.
     */
    public static void asClient(FrameChannel channel, byte[] key, int maxFrameBytes, Duration timeout)
            throws IOException {
        withDeadline(channel, maxFrameBytes, timeout, () -> {
            JsonNode hello = Control.receive(channel);
            if (!"hello".equals(Control.opOf(hello)) || !PROTOCOL.equals(hello.path("protocol").asString(""))) {
                throw channel.failed(new AuthenticationException("the peer does not speak " + PROTOCOL + ": " + hello));
            }
            boolean authenticated = "hmac-sha256".equals(hello.path("auth").asString(""));
            if (!authenticated) {
                if (key != null) {
                    String reason = "this client has an authentication key, but the listener does not authenticate";
                    Control.send(channel, Control.op("failure").put("reason", reason));
                    throw channel.failed(new AuthenticationException(reason));
                }
                Control.send(channel, Control.op("welcome"));
                return;
            }
            JsonNode challenge = expect(channel, "challenge");
            byte[] digest = key == null ? new byte[0] : digest(key, "client", Control.unbase64(challenge, "nonce"));
            Control.send(channel, Control.op("response").put("digest", Control.base64(digest)));
            JsonNode verdict = Control.receive(channel);
            if (!"welcome".equals(Control.opOf(verdict))) {
                String reason = key == null
                        ? "the listener requires an authentication key, and none was given"
                        : verdict.path("reason").asString("authentication failed");
                throw channel.failed(new AuthenticationException(reason));
            }
            byte[] nonce = nonce();
            Control.send(channel, Control.op("challenge").put("nonce", Control.base64(nonce)));
            JsonNode response = expect(channel, "response");
            if (!MessageDigest.isEqual(digest(key, "server", nonce), Control.unbase64(response, "digest"))) {
                String reason = "the listener's digest was wrong";
                Control.send(channel, Control.op("failure").put("reason", reason));
                throw channel.failed(new AuthenticationException(reason));
            }
            Control.send(channel, Control.op("welcome"));
        });
    }

    private interface Exchange {
        void run() throws IOException;
    }

    /*
     * A watchdog closes the channel if the exchange is not over by the deadline (one deadline
     * for all its reads and writes); the waiting read then fails, and we report the timeout.
     */
    private static void withDeadline(FrameChannel channel, int maxFrameBytes, Duration timeout, Exchange exchange)
            throws IOException {
        AtomicBoolean over = new AtomicBoolean();
        channel.setMaxFrameBytes(HANDSHAKE_FRAME_BYTES);
        ScheduledFuture<?> watch = Watchdog.watch(timeout, () -> {
            if (over.compareAndSet(false, true)) {
                channel.failed(new AuthenticationException("handshake not completed within " + timeout));
            }
        });
        try {
            exchange.run();
        } catch (IOException e) {
            if (!over.compareAndSet(false, true)) {
                throw new AuthenticationException("handshake not completed within " + timeout);
            }
            throw e;
        } finally {
            watch.cancel(false);
        }
        // The exchange finished; if the watchdog fired at the same moment, the channel is closed.
        if (!over.compareAndSet(false, true)) {
            throw new AuthenticationException("handshake not completed within " + timeout);
        }
        channel.setMaxFrameBytes(maxFrameBytes);
    }

    private static JsonNode expect(FrameChannel channel, String op) throws IOException {
        JsonNode node = Control.receive(channel);
        if (!op.equals(Control.opOf(node))) {
            String detail = "failure".equals(Control.opOf(node))
                    ? node.path("reason").asString("")
                    : "expected " + op + ", got " + Control.opOf(node);
            throw channel.failed(new AuthenticationException(detail));
        }
        return node;
    }

    private static byte[] nonce() {
        byte[] nonce = new byte[32];
        Random.SOURCE.nextBytes(nonce);
        return nonce;
    }

    private static byte[] digest(byte[] key, String role, byte[] nonce) {
        // never an empty key: Listener and Client refuse empty keys
        return HmacSha256.of(key, (PROTOCOL + " " + role + " ").getBytes(StandardCharsets.US_ASCII), nonce);
    }
}

package dev.pyloom.ipc.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The handshake's HMAC-SHA256 is the standard one: RFC 4231's vectors, and the JDK's Mac on random input. */
class HmacSha256Test {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void rfc4231TestVectors() {
        // Test case 1: a 20-byte key
        assertEquals("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
                HEX.formatHex(HmacSha256.of(HEX.parseHex("0b".repeat(20)), "Hi There".getBytes(StandardCharsets.US_ASCII))));
        // Test case 2: a key shorter than the output
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                HEX.formatHex(HmacSha256.of("Jefe".getBytes(StandardCharsets.US_ASCII),
                        "what do ya want ".getBytes(StandardCharsets.US_ASCII),
                        "for nothing?".getBytes(StandardCharsets.US_ASCII))));
        // Test case 6: a key longer than the block, hashed first
        assertEquals("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
                HEX.formatHex(HmacSha256.of(HEX.parseHex("aa".repeat(131)),
                        "Test Using Larger Than Block-Size Key - Hash Key First".getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    void agreesWithTheJdksMac() throws Exception {
        Random random = new Random(42);
        for (int i = 0; i < 500; i++) {
            byte[] key = new byte[1 + random.nextInt(150)];
            byte[] message = new byte[random.nextInt(300)];
            random.nextBytes(key);
            random.nextBytes(message);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            int split = message.length == 0 ? 0 : random.nextInt(message.length);
            assertArrayEquals(mac.doFinal(message), HmacSha256.of(key,
                    java.util.Arrays.copyOfRange(message, 0, split), java.util.Arrays.copyOfRange(message, split, message.length)));
        }
    }
}

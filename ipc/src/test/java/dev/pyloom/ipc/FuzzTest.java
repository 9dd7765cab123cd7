package dev.pyloom.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Thousands of connections throw random and mutated bytes at a listener with a key; afterwards
 * a good client is served at once, and is the first connection accept() hands out: nothing the
 * fuzzer sent got through the handshake.
 */
class FuzzTest {

    private static final byte[] KEY = "fuzz key".getBytes(StandardCharsets.UTF_8);
    private static final int CONNECTIONS = 3_000;

    @Test
    void garbageNeverGetsThroughAndAGoodClientIsStillServed() throws Exception {
        Random random = new Random(20261124L);
        byte[] validResponse = frame(3, "{\"op\":\"response\",\"digest\":\"AAAA\"}".getBytes(StandardCharsets.UTF_8));
        try (Listener listener = Listener.builder().authKey(KEY).open()) {
            for (int i = 0; i < CONNECTIONS; i++) {
                try (SocketChannel socket = SocketChannel.open(listener.address())) {
                    byte[] garbage = switch (i % 5) {
                        case 0 -> randomBytes(random, random.nextInt(2_000));
                        case 1 -> mutate(random, validResponse);
                        case 2 -> frame(random.nextInt(256), randomBytes(random, random.nextInt(64)));
                        case 3 -> ByteBuffer.allocate(5).putInt(random.nextInt()).put((byte) 3).array();
                        default -> new byte[0]; // connect and hang up
                    };
                    write(socket, garbage);
                } catch (IOException hungUpOn) {
                    // the listener may close first; that is the point
                }
            }
            try (Connection client = Client.connect(listener.address(), KEY); Connection server = listener.accept()) {
                client.send("after " + CONNECTIONS + " bad connections");
                assertEquals("after " + CONNECTIONS + " bad connections", server.recv());
            }
        }
    }

    private static byte[] frame(int kind, byte[] payload) {
        return ByteBuffer.allocate(5 + payload.length).putInt(payload.length).put((byte) kind).put(payload).array();
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] mutate(Random random, byte[] valid) {
        byte[] copy = valid.clone();
        for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
            copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return copy;
    }

    private static void write(SocketChannel socket, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            socket.write(buffer);
        }
    }
}

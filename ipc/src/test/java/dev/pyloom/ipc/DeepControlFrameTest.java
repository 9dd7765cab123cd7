package dev.pyloom.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Peers whose first control frame is deeply nested (within the 1,024 bytes of a handshake frame):
 * the listener must reject each and close its connection (at the latest when its 2 s handshake
 * times out), and go on serving. The preemptive timeout only turns a hang into a failure; it is
 * not a timing assertion.
 */
class DeepControlFrameTest {

    private static final byte[] KEY = "key".getBytes(StandardCharsets.UTF_8);

    @Test
    void deeplyNestedHandshakeFramesCloseTheirConnections() throws Exception {
        List<String> payloads = List.of("[".repeat(1019), "{\"a\":".repeat(150) + "1" + "}".repeat(150));
        for (boolean keyed : new boolean[] {false, true}) {
            Listener.Builder builder = Listener.builder().handshakeTimeout(Duration.ofSeconds(2));
            if (keyed) {
                builder.authKey(KEY);
            }
            try (Listener listener = builder.open()) {
                for (String text : payloads) {
                    byte[] payload = text.getBytes(StandardCharsets.US_ASCII);
                    try (SocketChannel socket = SocketChannel.open(listener.address())) {
                        ByteBuffer frame = ByteBuffer.allocate(5 + payload.length).putInt(payload.length).put((byte) 3)
                                .put(payload).flip();
                        while (frame.hasRemaining()) {
                            socket.write(frame);
                        }
                        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                            ByteBuffer in = ByteBuffer.allocate(4096);
                            while (socket.read(in) >= 0) {
                                in.clear();
                            }
                        }, () -> "the listener" + (keyed ? " with a key" : "") + " never closed the connection of a peer that sent "
                                + text.substring(0, 10) + "... (" + text.length() + " chars)");
                    }
                }
                try (Connection client = keyed ? Client.connect(listener.address(), KEY) : Client.connect(listener.address());
                        Connection server = listener.accept()) {
                    client.send("ok");
                    assertEquals("ok", server.recv());
                }
            }
        }
    }
}

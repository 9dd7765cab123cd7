package dev.pyloom.ipc.programs;

import dev.pyloom.ipc.Connection;
import java.util.Objects;

/**
 * A child process: attaches to the connection whose handle is its first argument and sends
 * back every message until it receives "stop".
 */
public final class Echo {

    public static void main(String[] args) throws Exception {
        try (Connection conn = Connection.fromHandle(args[0])) {
            for (;;) {
                Object message = conn.recv();
                if (Objects.equals(message, "stop")) {
                    return;
                }
                conn.send(message);
            }
        }
    }
}

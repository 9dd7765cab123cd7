package dev.pyloom.ipc.programs;

import dev.pyloom.ipc.Connection;

/**
 * A child process that writes before it reads: attaches to the connection whose handle is its
 * first argument, sends one message of as many bytes as its second argument says, then reads
 * messages until it has as many bytes as its third argument says, and says how many it got.
 */
public final class SendsFirst {

    public static void main(String[] args) throws Exception {
        try (Connection conn = Connection.fromHandle(args[0])) {
            conn.sendBytes(new byte[Integer.parseInt(args[1])]);
            long expected = Long.parseLong(args[2]);
            long received = 0;
            while (received < expected) {
                received += conn.recvBytes().length;
            }
            conn.send("got " + received);
        }
    }
}

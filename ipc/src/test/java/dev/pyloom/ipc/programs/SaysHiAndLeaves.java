package dev.pyloom.ipc.programs;

import dev.pyloom.ipc.Connection;

/**
 * A child process that attaches to the connection whose handle is its first argument, sends
 * "hi" and closes it without reading anything: what was sent to it is never read.
 */
public final class SaysHiAndLeaves {

    public static void main(String[] args) throws Exception {
        try (Connection conn = Connection.fromHandle(args[0])) {
            conn.send("hi");
        }
    }
}

package dev.pyloom.it.programs;

import dev.pyloom.ipc.Connection;
import dev.pyloom.ipc.Queue;
import java.io.EOFException;
import java.io.IOException;

/**
 * Two processes at the two ends of one duplex {@code Pipe}: {@link #ping} sends a message and
 * waits for the answer, {@code count} times; {@link #pong} answers each, then reads on until the
 * end of the stream. Each checks what it receives, and reports it to its parent on {@code report}.
 */
public final class DuplexPeers {

    /** What {@link #pong} reports once it has read the end of the stream: how many messages came before it. */
    public static final String END = "end";

    private DuplexPeers() {}

    public static void ping(Connection conn, Queue<Msg> report, int count) throws IOException {
        try (conn) {
            for (int i = 0; i < count; i++) {
                conn.send(new Msg("ping", i));
                Msg answer = conn.recv(Msg.class);
                if (!answer.equals(new Msg("pong", i))) {
                    throw new IllegalStateException("ping " + i + " was answered with " + answer);
                }
                report.put(answer);
            }
        }
    }

    public static void pong(Connection conn, Queue<Msg> report, int count) throws IOException {
        try (conn) {
            for (int i = 0; i < count; i++) {
                Msg request = conn.recv(Msg.class);
                if (!request.equals(new Msg("ping", i))) {
                    throw new IllegalStateException("expected ping " + i + ", got " + request);
                }
                report.put(request);
                conn.send(new Msg("pong", request.seq()));
            }
            try {
                Object extra = conn.recv();
                throw new IllegalStateException("a message after the last ping: " + extra);
            } catch (EOFException end) {
                report.put(new Msg(END, count));
            }
        }
    }
}

package dev.pyloom.it.programs;

import static java.nio.charset.StandardCharsets.US_ASCII;

import dev.pyloom.asyncio.Asyncio;
import dev.pyloom.asyncio.Task;
import dev.pyloom.asyncio.locks.Semaphore;
import dev.pyloom.asyncio.streams.Connection;
import dev.pyloom.asyncio.streams.Streams;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The processes + coroutines recipe, as the suite runs it: page servers on 127.0.0.1, and an
 * event loop that fetches thousands of pages from them, a coroutine per page, at most
 * {@link #OPEN_AT_ONCE} connections open at a time. Every page is checked against what its
 * number says it holds.
 */
public final class Crawl {

    /** Connections one loop keeps open at most. */
    public static final int OPEN_AT_ONCE = 200;

    private Crawl() {}

    /**
     * What one loop fetched: {@code pages} and {@code bytes}, where ({@code pid}, {@code thread}),
     * and the most fetches it had waiting on the network at once. A record: it travels back from
     * a pool's worker as JSON.
     */
    public record Tally(int pages, long bytes, long pid, String thread, int mostWaitingAtOnce) {}

    /** Page {@code n}: a few hundred bytes that depend on {@code n}. */
    public static byte[] page(int n) {
        return ("page " + n + " ").repeat(1 + n % 40).getBytes(US_ASCII);
    }

    /** A pool task, or a thread's body: runs a new event loop until {@code count} pages are fetched. */
    public static Tally crawl(List<Integer> ports, int count) throws Exception {
        int[] waiting = new int[2]; // now, most; touched only by the loop's coroutines, one at a time
        long bytes = Asyncio.run(() -> {
            Semaphore open = new Semaphore(OPEN_AT_ONCE);
            List<Task<Integer>> fetches = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int n = i;
                fetches.add(Asyncio.createTask(() -> fetch(ports.get(n % ports.size()), n, open, waiting)));
            }
            long total = 0;
            for (int size : Asyncio.gather(fetches)) {
                total += size;
            }
            return total;
        });
        return new Tally(count, bytes, ProcessHandle.current().pid(), Thread.currentThread().getName(), waiting[1]);
    }

    private static int fetch(int port, int n, Semaphore open, int[] waiting) throws Exception {
        open.acquire();
        try {
            waiting[1] = Math.max(waiting[1], ++waiting[0]);
            byte[] page;
            try {
                Connection conn = Streams.openConnection("127.0.0.1", port);
                conn.writer().write(("GET " + n + "\n").getBytes(US_ASCII));
                conn.writer().drain();
                page = conn.reader().read();
                conn.writer().close();
            } finally {
                waiting[0]--;
            }
            if (!Arrays.equals(page, page(n))) {
                throw new IOException("page " + n + " came back as " + new String(page, US_ASCII));
            }
            return page.length;
        } finally {
            open.release();
        }
    }

    /** Page servers on 127.0.0.1: a virtual thread per client, each answering one request. */
    public static final class Servers implements AutoCloseable {
        private final List<ServerSocket> sockets = new ArrayList<>();

        public Servers(int count) throws IOException {
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1_000, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                Thread.ofVirtual().name("page-server-" + socket.getLocalPort()).start(() -> serve(socket));
            }
        }

        public List<Integer> ports() {
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        }

        private static void serve(ServerSocket socket) {
            while (!socket.isClosed()) {
                try {
                    Socket client = socket.accept();
                    Thread.ofVirtual().start(() -> answer(client));
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private static void answer(Socket client) {
            try (client; InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
                StringBuilder request = new StringBuilder();
                for (int c; (c = in.read()) != '\n' && c >= 0;) {
                    request.append((char) c);
                }
                out.write(page(Integer.parseInt(request.substring("GET ".length()))));
            } catch (IOException | RuntimeException e) {
                // a client that went away; the crawl that lost it reports it
            }
        }

        @Override
        public void close() throws IOException {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }
}

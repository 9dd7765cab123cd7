package dev.pyloom.examples.recipe;

import static java.nio.charset.StandardCharsets.US_ASCII;

import dev.pyloom.asyncio.Asyncio;
import dev.pyloom.asyncio.Task;
import dev.pyloom.asyncio.locks.Semaphore;
import dev.pyloom.asyncio.streams.Connection;
import dev.pyloom.asyncio.streams.Streams;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The coroutines both recipes run: one event loop fetches many pages from the {@link PageServers},
 * a coroutine per fetch, all of them started at once. A {@link Semaphore} keeps at most
 * {@link #OPEN_AT_ONCE} connections open at a time, as a crawler does so as not to flood the
 * sites (or run out of sockets); the other coroutines wait their turn on it, costing nothing
 * meanwhile. In Python:
 *
 * <pre>
 * async def fetch(port, limit):
 *     async with limit:
 *         reader, writer = await asyncio.open_connection('127.0.0.1', port)
 *         writer.write(b'GET /\n')
 *         await writer.drain()
 *         page = await reader.read()
 *         writer.close()
 *         return len(page)
 *
 * async def fetch_all(ports, count):
 *     limit = asyncio.Semaphore(OPEN_AT_ONCE)
 *     sizes = await asyncio.gather(*[fetch(ports[i % len(ports)], limit) for i in range(count)])
 *     return sum(sizes)
 *
 * def fetch_all_on_a_new_loop(ports, count):
 *     size = asyncio.run(fetch_all(ports, count))
 *     return count, size, os.getpid(), threading.current_thread().name
 * </pre>
 */
final class Fetches {

    /** Coroutines, and so fetches, per event loop: thousands, of which few have a connection at once. */
    static final int PER_LOOP = 2_000;

    /** Connections one loop keeps open at most: the semaphore's permits. */
    static final int OPEN_AT_ONCE = 100;

    private static final byte[] REQUEST = "GET /\n".getBytes(US_ASCII);

    private Fetches() {}

    /**
     * What one event loop fetched, and where it ran: in a pool's worker, {@code pid} is the
     * worker's; on a thread of this JVM, {@code thread} names it. A record, so that it travels back
     * from a worker as JSON.
     */
    record Tally(int pages, long bytes, long pid, String thread) {}

    /**
     * Runs a new event loop on the calling thread until {@code count} pages have been fetched from
     * the servers at {@code ports}, round robin, and says what it fetched. Blocks.
     */
    static Tally fetchAllOnANewLoop(List<Integer> ports, int count) throws Exception {
        long bytes = Asyncio.run(() -> fetchAll(ports, count));
        return new Tally(count, bytes, ProcessHandle.current().pid(), Thread.currentThread().getName());
    }

    /** A coroutine: starts {@code count} fetches at once and returns how many bytes they brought. */
    static long fetchAll(List<Integer> ports, int count) throws Exception {
        Semaphore limit = new Semaphore(OPEN_AT_ONCE);
        List<Task<Integer>> fetches = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int port = ports.get(i % ports.size());
            fetches.add(Asyncio.createTask(() -> fetch(port, limit)));
        }
        long bytes = 0;
        for (int size : Asyncio.gather(fetches)) {
            bytes += size;
        }
        return bytes;
    }

    /** A coroutine: fetches one page, once the semaphore lets it, and returns its size. */
    static int fetch(int port, Semaphore limit) throws IOException {
        try (var held = limit.hold()) {                               // async with limit:
            Connection connection = Streams.openConnection("127.0.0.1", port);
            connection.writer().write(REQUEST);
            connection.writer().drain();
            byte[] page = connection.reader().read();                 // to the end: the server closes
            connection.writer().close();
            return page.length;
        }
    }
}

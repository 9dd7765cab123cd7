package dev.pyloom.examples.recipe;

import dev.pyloom.asyncio.EventLoop;
import dev.pyloom.asyncio.streams.Server;
import dev.pyloom.asyncio.streams.StreamReader;
import dev.pyloom.asyncio.streams.StreamWriter;
import dev.pyloom.asyncio.streams.Streams;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The sites the recipes fetch from: a few small TCP servers on 127.0.0.1, each serving one page
 * of its own size, all on one event loop that runs on a platform thread of its own. A client
 * sends one line (its request) and reads the page until the server closes the connection. In
 * Python:
 *
 * <pre>
 * async def serve(reader, writer, page):
 *     await reader.readline()
 *     writer.write(page)
 *     await writer.drain()
 *     writer.close()
 *
 * async def start_servers():
 *     return [await asyncio.start_server(functools.partial(serve, page=b'x' * size), '127.0.0.1', 0)
 *             for size in PAGE_SIZES]
 *
 * loop = asyncio.new_event_loop()
 * threading.Thread(target=loop.run_forever, daemon=True).start()
 * servers = asyncio.run_coroutine_threadsafe(start_servers(), loop).result()
 * ports = [s.sockets[0].getsockname()[1] for s in servers]
 * </pre>
 *
 * <p>Other threads reach the loop only through {@code runCoroutineThreadsafe} and {@code stop},
 * the two doors a running loop keeps open to them.
 */
final class PageServers implements AutoCloseable {

    /** One server per page size; fetch {@code i} goes to server {@code i % PAGE_SIZES.size()}. */
    static final List<Integer> PAGE_SIZES = List.of(1024, 2048, 4096);

    private final EventLoop loop;
    private final Thread thread;
    private final List<Server> servers; // only touched on the loop
    private final List<Integer> ports;

    private PageServers(EventLoop loop, Thread thread, List<Server> servers) {
        this.loop = loop;
        this.thread = thread;
        this.servers = servers;
        this.ports = servers.stream().map(server -> server.address().getPort()).toList();
    }

    /** Starts the loop's thread and, on the loop, one server per page size. Blocks until they listen. */
    static PageServers start() throws Exception {
        EventLoop loop = new EventLoop();
        Thread thread = Thread.ofPlatform().name("page-servers").start(loop::runForever);
        try {
            List<Server> servers = loop.runCoroutineThreadsafe(() -> {
                List<Server> started = new ArrayList<>();
                for (int size : PAGE_SIZES) {
                    byte[] page = page(size);
                    started.add(Streams.startServer((reader, writer) -> serve(reader, writer, page), "127.0.0.1", 0));
                }
                return started;
            }).get();
            return new PageServers(loop, thread, servers);
        } catch (Exception e) {
            stop(loop, thread);
            throw e;
        }
    }

    /** The servers' ports on 127.0.0.1, in the order of {@link #PAGE_SIZES}. */
    List<Integer> ports() {
        return ports;
    }

    /** Closes the servers once their last connection has ended, then stops and closes the loop. */
    @Override
    public void close() throws Exception {
        try {
            loop.runCoroutineThreadsafe(() -> {
                for (Server server : servers) {
                    server.close();
                }
                for (Server server : servers) {
                    server.waitClosed();
                }
                return null;
            }).get();
        } finally {
            stop(loop, thread);
        }
    }

    private static void stop(EventLoop loop, Thread thread) throws InterruptedException {
        loop.stop();
        thread.join();
        loop.close();
    }

    /* One client: its request line, then the page; returning closes the connection. */
    private static void serve(StreamReader reader, StreamWriter writer, byte[] page) throws IOException {
        reader.readLine(); // every request gets the same page
        writer.write(page);
        writer.drain();
    }

    private static byte[] page(int size) {
        byte[] page = new byte[size];
        Arrays.fill(page, (byte) 'x');
        return page;
    }
}

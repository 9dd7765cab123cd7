package dev.pyloom.examples.asyncio;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import dev.pyloom.asyncio.Asyncio;
import dev.pyloom.asyncio.streams.Connection;
import dev.pyloom.asyncio.streams.Server;
import dev.pyloom.asyncio.streams.StreamReader;
import dev.pyloom.asyncio.streams.StreamWriter;
import dev.pyloom.asyncio.streams.Streams;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tutorial's {@code wget}: three coroutines fetch three sites' headers at once on one loop,
 * each printing the header lines as they arrive. In Python:
 *
 * <pre>
 * async def wget(host):
 *     print('wget %s...' % host)
 *     reader, writer = await asyncio.open_connection(host, 80)
 *     header = 'GET / HTTP/1.0\r\nHost: %s\r\n\r\n' % host
 *     writer.write(header.encode('utf-8'))
 *     await writer.drain()
 *     while True:
 *         line = await reader.readline()
 *         if line == b'\r\n':
 *             break
 *         print('%s header > %s' % (host, line.decode('utf-8').rstrip()))
 *     writer.close()
 *
 * await asyncio.gather(*[wget(host) for host in ['www.sina.com.cn', 'www.sohu.com', 'www.163.com']])
 * </pre>
 *
 * <p>The machines this runs on have no internet, so the example first starts three small HTTP
 * servers of its own on 127.0.0.1, one per site, on the same loop. Each answers with the headers
 * the tutorial shows for its site, one line at a time and at its own pace, so the three
 * coroutines' output interleaves as the answers come in.
 */
public final class Wget {

    /** The tutorial's three sites and the response headers it printed for them. */
    static final Map<String, List<String>> SITES = sites();

    private static final byte[] END_OF_HEADERS = "\r\n".getBytes(ISO_8859_1);

    private final PrintStream out;
    private final Duration pause;

    /** @param pause how long each server takes between two header lines */
    Wget(PrintStream out, Duration pause) {
        this.out = out;
        this.pause = pause;
    }

    public static void main(String[] args) throws Exception {
        new Wget(System.out, Duration.ofMillis(100)).run();
    }

    /** The tutorial's coroutine; {@code port} stands in for port 80 of {@code host}. */
    void wget(String host, int port) throws IOException {
        out.println("wget " + host + "...");
        Connection connection = Streams.openConnection("127.0.0.1", port);
        String header = "GET / HTTP/1.0\r\nHost: " + host + "\r\n\r\n";
        connection.writer().write(header.getBytes(ISO_8859_1));
        connection.writer().drain();
        for (;;) {
            byte[] line = connection.reader().readLine();
            if (line.length == 0 || Arrays.equals(line, END_OF_HEADERS)) {
                break;
            }
            out.println(host + " header > " + new String(line, ISO_8859_1).stripTrailing());
        }
        connection.writer().close(); // ignore the body, close the socket
    }

    void run() throws Exception {
        Asyncio.run(() -> {
            List<Server> servers = new ArrayList<>();
            try {
                Map<String, Integer> ports = new LinkedHashMap<>();
                int site = 0;
                for (Map.Entry<String, List<String>> entry : SITES.entrySet()) {
                    Duration pace = pause.multipliedBy(++site); // each site at its own pace
                    Server server = Streams.startServer(
                            (reader, writer) -> serve(reader, writer, entry.getValue(), pace), "127.0.0.1", 0);
                    servers.add(server);
                    ports.put(entry.getKey(), server.address().getPort());
                }
                List<dev.pyloom.asyncio.Task<Void>> tasks = new ArrayList<>();
                ports.forEach((host, port) -> tasks.add(Asyncio.createTask(() -> wget(host, port))));
                Asyncio.gather(tasks);
            } finally {
                for (Server server : servers) {
                    server.close();
                    server.waitClosed();
                }
            }
        });
    }

    /* One site's server: reads the request's header, answers with the site's header line by line, then a body. */
    private static void serve(StreamReader reader, StreamWriter writer, List<String> headers, Duration pace)
            throws IOException {
        for (byte[] line = reader.readLine(); line.length > 0 && !Arrays.equals(line, END_OF_HEADERS);
                line = reader.readLine()) {
            // a real server would look at the request; this one always answers the same
        }
        for (String header : headers) {
            Asyncio.sleep(pace);
            writer.write((header + "\r\n").getBytes(ISO_8859_1));
            writer.drain();
        }
        writer.write("\r\n<html>...</html>\r\n".getBytes(ISO_8859_1));
        writer.drain();
    }

    private static Map<String, List<String>> sites() {
        Map<String, List<String>> sites = new LinkedHashMap<>();
        sites.put("www.sina.com.cn", List.of(
                "HTTP/1.1 200 OK",
                "Date: Wed, 20 May 2015 04:56:33 GMT",
                "Content-Type: text/html",
                "Content-Length: 575",
                "Connection: close"));
        sites.put("www.sohu.com", List.of(
                "HTTP/1.1 200 OK",
                "Content-Type: text/html",
                "Content-Length: 2345",
                "Connection: close"));
        sites.put("www.163.com", List.of(
                "HTTP/1.0 302 Moved Temporarily",
                "Server: Cdn Cache Server V2.0",
                "Date: Wed, 20 May 2015 04:56:33 GMT",
                "Content-Type: text/html",
                "Location: http://www.163.com/",
                "Connection: close"));
        return sites;
    }
}

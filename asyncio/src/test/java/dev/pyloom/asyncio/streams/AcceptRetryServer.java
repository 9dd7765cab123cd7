package dev.pyloom.asyncio.streams;

import dev.pyloom.asyncio.Asyncio;
import dev.pyloom.asyncio.EventLoop;
import dev.pyloom.asyncio.Strategy;
import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The child program of {@link AcceptRetryTest}: a line-echo server that, told to on its standard
 * input, uses up every file descriptor it may have ({@code exhaust}) and gives them back
 * ({@code release}). It says what happens on standard output, one line at a time: its port, the
 * exception handler's reports, and the end of each order. It closes its server and ends when its
 * standard input ends.
 */
public final class AcceptRetryServer {

    private AcceptRetryServer() {}

    public static void main(String[] args) throws Exception {
        EventLoop loop = new EventLoop(Strategy.valueOf(args[0]));
        BufferedReader orders = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        loop.run(() -> {
            loop.setExceptionHandler((l, context) -> say("handler: " + context.message() + ": " + context.exception()));
            Server server = Streams.startServer((reader, writer) -> {
                for (byte[] line = reader.readLine(); line.length > 0; line = reader.readLine()) {
                    writer.write(line);
                    writer.drain();
                }
            }, "127.0.0.1", 0);
            say("port " + server.address().getPort());
            List<FileInputStream> hoard = new ArrayList<>();
            for (String order = Asyncio.toThread(orders::readLine); order != null; order = Asyncio.toThread(orders::readLine)) {
                if (order.equals("exhaust")) {
                    try {
                        for (;;) {
                            hoard.add(new FileInputStream("/dev/null"));
                        }
                    } catch (IOException full) {
                        say("exhausted after " + hoard.size() + ": " + full.getMessage());
                    }
                } else if (order.equals("release")) {
                    for (FileInputStream file : hoard) {
                        file.close();
                    }
                    hoard.clear();
                    say("released");
                }
            }
            server.close();
            server.waitClosed();
        });
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}

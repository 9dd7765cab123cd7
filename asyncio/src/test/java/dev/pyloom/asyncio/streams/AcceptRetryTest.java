package dev.pyloom.asyncio.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.asyncio.Strategy;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A server whose process runs out of file descriptors keeps serving once some are free, as
 * CPython's does (it reports the failed accept and tries again a second later); it used to close
 * for good. Run in a child JVM whose descriptors are capped ({@code ulimit -n}), so that using
 * them all up is quick and harms nothing else.
 */
class AcceptRetryTest {

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void aServerOutOfFileDescriptorsServesAgainOnceSomeAreFree(Strategy strategy) throws Exception {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of("sh", "-c", "ulimit -n 256 && exec \"$0\" \"$@\"", java,
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                AcceptRetryServer.class.getName(), strategy.name()));
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader says = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                OutputStream stdin = child.getOutputStream();
                PrintWriter orders = new PrintWriter(stdin, true, StandardCharsets.UTF_8)) {
            String portLine = says.readLine();
            assertTrue(portLine != null && portLine.startsWith("port "), "the child said: " + portLine);
            int port = Integer.parseInt(portLine.substring(5));
            try (Socket before = new Socket("127.0.0.1", port)) {
                assertEquals("ping", echo(before, "ping"), "a client before the descriptors run out");
            }
            orders.println("exhaust");
            String exhausted = says.readLine();
            assertTrue(exhausted != null && exhausted.startsWith("exhausted"), "the child said: " + exhausted);
            try (Socket during = new Socket("127.0.0.1", port)) { // the kernel accepts it; the server cannot
                String report = says.readLine();
                assertTrue(report != null && report.startsWith("handler: Server") && report.contains("could not accept"),
                        "the child said: " + report);
                orders.println("release");
                assertEquals("released", says.readLine());
                assertEquals("pong", echo(during, "pong"), "the client that waited is served once descriptors are free");
            }
            try (Socket after = new Socket("127.0.0.1", port)) {
                assertEquals("again", echo(after, "again"));
            }
        } finally {
            if (!child.waitFor(30, TimeUnit.SECONDS)) {
                child.destroyForcibly().waitFor();
            }
        }
        assertEquals(0, child.exitValue());
    }

    private static String echo(Socket socket, String text) throws Exception {
        socket.setSoTimeout(30_000); // a guard against hanging the build, not a timing assertion
        socket.getOutputStream().write((text + "\n").getBytes(StandardCharsets.UTF_8));
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
    }
}

package dev.pyloom.asyncio.streams;

import dev.pyloom.asyncio.CancelledException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where streams start: a TCP connection, a TCP server, a child process with piped streams.
 * Python's {@code asyncio.open_connection}, {@code start_server}, {@code create_subprocess_exec}
 * and {@code create_subprocess_shell}. Each is called from a coroutine; what it returns is bound
 * to that coroutine's loop, and closed with the loop at the latest.
 *
 * <pre>{@code
 * Connection c = Streams.openConnection("example.org", 80);
 * c.writer().write("HEAD / HTTP/1.0\r\n\r\n".getBytes(US_ASCII));
 * String status = new String(c.reader().readLine(), US_ASCII);
 * }</pre>
 */
public final class Streams {

    private Streams() {}

    // ---- TCP

    /**
     * Opens a TCP connection to {@code host:port} and returns its reader and writer. Python's
     * {@code await asyncio.open_connection(host, port)}. An await point: the name lookup and the
     * handshake happen outside the loop, which runs other coroutines meanwhile.
     *
     * @throws java.net.ConnectException     if nobody listens there (Python's {@code ConnectionRefusedError})
     * @throws java.net.UnknownHostException if the host name does not resolve
     * @throws IOException                   if the connection fails otherwise
     * @throws IllegalArgumentException      if the port is out of range
     * @throws CancelledException            if the task is cancelled while connecting (the socket is closed)
     */
    public static Connection openConnection(String host, int port) throws IOException {
        return Connection.open(host, port, StreamReader.DEFAULT_LIMIT);
    }

    /** {@link #openConnection(String, int)} with the reader's buffer limit (Python's {@code limit=}). */
    public static Connection openConnection(String host, int port, int limit) throws IOException {
        return Connection.open(host, port, limit);
    }

    /**
     * Starts a TCP server on {@code host:port} (null host: every interface; port 0: any free port)
     * that runs {@code handler} for every client, each in a task of its own. Python's
     * {@code await asyncio.start_server(client_connected_cb, host, port)}. An await point. The
     * server accepts clients at once; {@link Server#serveForever()} just waits.
     *
     * @throws java.net.BindException   if the address is in use
     * @throws IOException              if the server cannot listen otherwise
     * @throws IllegalArgumentException if the port is out of range
     */
    public static Server startServer(ConnectionHandler handler, String host, int port) throws IOException {
        return Server.start(handler, host, port, StreamReader.DEFAULT_LIMIT);
    }

    /** {@link #startServer(ConnectionHandler, String, int)} with the readers' buffer limit. */
    public static Server startServer(ConnectionHandler handler, String host, int port, int limit) throws IOException {
        return Server.start(handler, host, port, limit);
    }

    // ---- child processes

    /**
     * Starts {@code program} with {@code args}, its stdin, stdout and stderr piped to the loop.
     * Python's {@code await asyncio.create_subprocess_exec(program, *args, stdin=PIPE,
     * stdout=PIPE, stderr=PIPE)} (Python's own default inherits the parent's streams; for that,
     * or any other redirect, pass a {@link ProcessBuilder}). Starting does not wait for the child.
     *
     * @throws IOException if the program cannot be started (not found, not executable)
     */
    public static Subprocess createSubprocessExec(String program, String... args) throws IOException {
        Objects.requireNonNull(program, "program");
        List<String> command = new ArrayList<>(1 + args.length);
        command.add(program);
        command.addAll(List.of(args));
        return createSubprocessExec(new ProcessBuilder(command)); // PIPE is ProcessBuilder's default
    }

    /**
     * Starts the child {@code builder} describes; the streams it redirects to
     * {@link ProcessBuilder.Redirect#PIPE} become the child's {@link Subprocess#stdin()},
     * {@link Subprocess#stdout()} and {@link Subprocess#stderr()}.
     *
     * @throws IOException if the program cannot be started
     */
    public static Subprocess createSubprocessExec(ProcessBuilder builder) throws IOException {
        return Subprocess.start(builder, StreamReader.DEFAULT_LIMIT);
    }

    /**
     * Runs {@code command} through {@code /bin/sh -c}, streams piped. Python's
     * {@code create_subprocess_shell(cmd, stdin=PIPE, stdout=PIPE, stderr=PIPE)}. Quote what you
     * pass to a shell.
     */
    public static Subprocess createSubprocessShell(String command) throws IOException {
        return createSubprocessExec("/bin/sh", "-c", Objects.requireNonNull(command, "command"));
    }
}

package dev.pyloom.asyncio.streams;

import dev.pyloom.asyncio.Asyncio;
import dev.pyloom.asyncio.EventLoop;
import dev.pyloom.asyncio.ExceptionContext;
import dev.pyloom.asyncio.Future;
import dev.pyloom.asyncio.Task;
import dev.pyloom.asyncio.internal.CarrierThreads;
import dev.pyloom.asyncio.internal.LoopAccess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP server that runs a {@link ConnectionHandler} for every client, each as a task of its own:
 * Python's {@code asyncio.Server}, made by {@link Streams#startServer}.
 *
 * <pre>{@code
 * Server server = Streams.startServer((reader, writer) -> {
 *     writer.write(reader.readLine());                 // echo one line
 *     writer.drain();
 * }, "127.0.0.1", 0);                                  // 0: any free port
 * int port = server.address().getPort();
 * server.serveForever();                               // until close()
 * }</pre>
 *
 * <p>An acceptor (an ordinary virtual thread, parked on the JDK's poller while it waits) accepts
 * each client and hands the socket to the loop, which starts the handler's task. When the
 * handler returns or throws, its connection is closed (Python leaves that to the handler); a
 * handler's exception goes to the loop's exception handler.
 *
 * <p>Closing follows Python 3.12/3.13: {@link #close()} stops accepting and leaves the connected
 * clients alone; {@link #closeClients()} closes them too; {@link #waitClosed()} waits until the
 * server is closed and every connection has ended. Closing the loop closes everything.
 *
 * <p>Not thread-safe, like every loop object: only the loop's coroutines and callbacks may call it.
 */
public final class Server implements AutoCloseable {

    private static final LoopAccess ACCESS = LoopAccess.get();

    private final EventLoop loop;
    private final ServerSocketChannel listener;
    private final IoSelector selector;
    private final ListenerEndpoint endpoint;
    private final ConnectionHandler handler;
    private final int limit;
    private final InetSocketAddress address;

    // ---- only touched on the loop
    private final Set<Transport> connections = new LinkedHashSet<>();
    private boolean closed;
    /** Coroutines in waitClosed() and serveForever(): woken when something they wait for changed. */
    private final List<Future<Void>> waiters = new ArrayList<>();
    private boolean servingForever;
    /** The acceptor has ended, so the listening socket is really closed (see close()). */
    private boolean acceptorDone;

    /** Read by the acceptor: a client it accepts after close() is closed, not served. */
    private volatile boolean stopAccepting;
    /** The acceptor thread, woken by close() when it pauses after a failed accept(). */
    private Thread acceptor;

    /** How long the acceptor pauses after a failed accept(): CPython's ACCEPT_RETRY_DELAY. */
    static final long ACCEPT_RETRY_NANOS = 1_000_000_000L;

    private Server(EventLoop loop, IoSelector selector, ServerSocketChannel listener, ConnectionHandler handler,
                   int limit) throws IOException {
        this.loop = loop;
        this.listener = listener;
        this.selector = selector;
        this.endpoint = new ListenerEndpoint(listener);
        this.handler = handler;
        this.limit = limit;
        this.address = (InetSocketAddress) listener.getLocalAddress();
    }

    /*
     * Binds on an ordinary virtual thread (the host name may need a lookup), then starts the
     * acceptor. CPython binds with SO_REUSEADDR and a backlog of 100; so does this.
     */
    static Server start(ConnectionHandler handler, String host, int port, int limit) throws IOException {
        Objects.requireNonNull(handler, "handler");
        Connection.requirePort(port);
        if (limit <= 0) {
            throw new IllegalArgumentException("Limit cannot be <= 0, got " + limit);
        }
        EventLoop loop = ACCESS.running("startServer");
        IoSelector selector = IoSelector.of(loop);
        // The socket belongs to this coroutine from the start: if it is cancelled while the
        // binding thread runs (or the loop closes), the finally closes it, bound or not.
        ServerSocketChannel listener = ServerSocketChannel.open();
        Server server;
        boolean ok = false;
        try {
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            Asyncio.toThread(() -> { // the host name may need a lookup
                listener.bind(host == null ? new InetSocketAddress(port) : new InetSocketAddress(host, port), 100);
                return null;
            });
            server = new Server(loop, selector, listener, handler, limit);
            if (!ACCESS.remember(loop, server.endpoint)) {
                throw new IllegalStateException("Event loop is closed");
            }
            ok = true;
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        } finally {
            if (!ok) {
                listener.close();
            }
        }
        server.acceptor = CarrierThreads.ordinary().name("pyloom-asyncio-acceptor").start(server::acceptClients);
        return server;
    }

    /** The address the server listens on (with the port chosen, if port 0 was asked for). */
    public InetSocketAddress address() {
        return address;
    }

    /**
     * The addresses the server listens on: one, or none once closed. Python's {@code sockets}
     * (which holds socket objects; their {@code getsockname()} is this).
     */
    public List<InetSocketAddress> sockets() {
        return closed ? List.of() : List.of(address);
    }

    /** Whether the server accepts new clients. Python's {@code is_serving()}. */
    public boolean isServing() {
        return !closed;
    }

    /** The loop the server runs on. Python's {@code get_loop()}. */
    public EventLoop getLoop() {
        return loop;
    }

    /**
     * Stops accepting clients; the connected ones go on. Python's {@code close()}. Never blocks;
     * closing twice does nothing.
     */
    @Override
    public void close() {
        ACCESS.requireLoopThread(loop, "Server.close");
        if (closed) {
            return;
        }
        closed = true;
        stopAccepting = true;
        try {
            endpoint.close(); // the acceptor's accept() fails, and it ends
        } catch (IOException ignored) {
            // it no longer listens either way
        }
        LockSupport.unpark(acceptor); // or, if it pauses after a failed accept(), it ends now
        ACCESS.forget(loop, endpoint);
        wakeWaiters();
    }

    /** Closes every client connection, after what is queued for it. Python 3.13's {@code close_clients()}. */
    public void closeClients() {
        ACCESS.requireLoopThread(loop, "Server.closeClients");
        for (Transport connection : List.copyOf(connections)) {
            connection.close();
        }
    }

    /** Closes every client connection at once. Python 3.13's {@code abort_clients()}. */
    public void abortClients() {
        ACCESS.requireLoopThread(loop, "Server.abortClients");
        for (Transport connection : List.copyOf(connections)) {
            connection.abort();
        }
    }

    /**
     * Waits until the server is closed, its listening socket released, and every client
     * connection has ended. Python's {@code wait_closed()} (3.12.1 and later). An await point.
     */
    public void waitClosed() {
        awaitUntil("waitClosed", () -> closed && acceptorDone && connections.isEmpty());
    }

    /**
     * Serves until the server is closed, then returns. Python's {@code serve_forever()}, which
     * instead raises {@code CancelledError} when another coroutine closes the server. If the
     * calling task is cancelled, the server is closed and the cancellation goes on. An await point.
     *
     * @throws IllegalStateException if the server is closed, or another coroutine serves forever
     */
    public void serveForever() {
        ACCESS.requireLoopThread(loop, "serveForever");
        if (closed) {
            throw new IllegalStateException("server " + this + " is closed");
        }
        if (servingForever) {
            throw new IllegalStateException("server " + this + " is already being awaited on serveForever()");
        }
        servingForever = true;
        try {
            awaitUntil("serveForever", () -> closed);
        } catch (RuntimeException | Error e) { // cancelled (or, inside a timeout scope, timed out)
            close();
            throw e;
        } catch (Throwable checked) { // a scope's TimeoutException, thrown through unchecked
            close();
            throw dev.pyloom.asyncio.internal.Rethrow.<RuntimeException>unchecked(checked);
        } finally {
            servingForever = false;
        }
    }

    private void awaitUntil(String what, java.util.function.BooleanSupplier done) {
        ACCESS.requireLoopThread(loop, what);
        while (!done.getAsBoolean()) {
            Future<Void> waiter = loop.createFuture();
            waiters.add(waiter);
            try {
                ACCESS.awaitDone(what, waiter);
            } finally {
                waiters.remove(waiter);
            }
        }
    }

    private void wakeWaiters() {
        for (Future<Void> waiter : List.copyOf(waiters)) {
            if (!waiter.done()) {
                waiter.setResult(null);
            }
        }
    }

    // =====================================================================================
    // Accepting

    /*
     * The acceptor: an ordinary virtual thread, parked on the JDK's poller between clients.
     *
     * When close() closes the listening socket while this thread waits in accept(), the JDK
     * finishes the close only once this thread has woken up and left accept(): until then the
     * kernel may still complete a client's handshake. Such a late client is closed here, and
     * waitClosed() waits for this thread's end, after which the port surely refuses clients.
     *
     * A failed accept() while the server is open does not end it: out of file descriptors
     * (EMFILE) the listening socket stays ready and accept() fails until some are freed. As
     * CPython does, the failure goes to the loop's exception handler, and the acceptor tries
     * again a second later.
     */
    private void acceptClients() {
        try {
            for (;;) {
                SocketChannel socket;
                try {
                    socket = listener.accept();
                } catch (IOException e) {
                    if (stopAccepting || !listener.isOpen()
                            || !ACCESS.callSoonThreadsafeIfOpen(loop, () -> loop.callExceptionHandler(new ExceptionContext(
                                    "Server " + this + " could not accept a client; retrying in 1 s", e, null, null)))) {
                        return;
                    }
                    pauseAccepting();
                    continue;
                }
                SocketEndpoint client = new SocketEndpoint(socket, selector);
                if (stopAccepting || !ACCESS.remember(loop, client)
                        || !ACCESS.callSoonThreadsafeIfOpen(loop, () -> connected(client))) {
                    closeQuietly(client); // the server or the loop is closed
                    ACCESS.forget(loop, client);
                    if (!stopAccepting) {
                        return; // the loop is closed
                    }
                }
            }
        } finally {
            closeQuietly(endpoint); // closed already, unless the loop closed under the server
            ACCESS.callSoonThreadsafeIfOpen(loop, () -> {
                acceptorDone = true;
                if (!closed) {
                    close(); // it no longer serves: say so (isServing, serveForever, waitClosed)
                } else {
                    wakeWaiters();
                }
            });
        }
    }

    /* The acceptor waits before it tries accept() again; close() cuts the wait short. */
    private void pauseAccepting() {
        long deadline = System.nanoTime() + ACCEPT_RETRY_NANOS;
        for (long left = ACCEPT_RETRY_NANOS; left > 0 && !stopAccepting; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(this, left);
        }
    }

    /* On the loop: a client arrived; its handler runs as a task. */
    private void connected(SocketEndpoint client) {
        Connection connection;
        try {
            connection = client.open(loop, limit);
        } catch (IOException e) {
            closeQuietly(client);
            ACCESS.forget(loop, client);
            return; // it went away before we could serve it
        }
        Transport transport = connection.writer().transport();
        connections.add(transport);
        transport.onLost(() -> {
            connections.remove(transport);
            wakeWaiters();
        });
        StreamWriter writer = connection.writer();
        Task<Void> task = loop.createTask(() -> {
            try {
                handler.handle(connection.reader(), writer);
            } finally {
                writer.close();
            }
            return null;
        });
        task.addDoneCallback(done -> {
            if (!done.cancelled() && done.exception() != null) {
                loop.callExceptionHandler(new ExceptionContext(
                        "Unhandled exception in client_connected_cb", done.exception(), done, null));
            }
        });
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // nobody was served on it
        }
    }

    @Override
    public String toString() {
        return "Server[" + address + (closed ? ", closed" : "") + ", " + connections.size() + " connections]";
    }

    /** The listening socket as something the loop closes when it closes. */
    private record ListenerEndpoint(ServerSocketChannel socket) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}

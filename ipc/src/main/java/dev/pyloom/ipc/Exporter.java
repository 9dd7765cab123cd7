package dev.pyloom.ipc;

import dev.pyloom.ipc.internal.Acceptor;
import dev.pyloom.ipc.internal.Control;
import dev.pyloom.ipc.internal.FrameChannel;
import dev.pyloom.ipc.internal.Handshake;
import dev.pyloom.ipc.internal.SocketFiles;
import dev.pyloom.ipc.internal.SocketThreads;
import dev.pyloom.ipc.internal.Sockets;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.UnixDomainSocketAddress;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * This process's handle server: where other processes reconnect to the pipe ends and queues
 * that were sent to them as handles.
 *
 * <pre>
 *   this process                                  another process
 *   conn.export() / a message holding conn
 *     -&gt; registers a target, returns a handle --(message, command line)--&gt;  Connection.fromHandle(h)
 *   Exporter accepts, checks the key         &lt;--------- connect + handshake ---  (key from the handle)
 *   target.attach(channel, confirm)          &lt;--------- attach {kind, id} ------
 *     confirm: "attached"                    ---------------------------------&gt;
 *     pipe end: the channel becomes the partner end's socket (direct), or is relayed
 *     queue:    a session serves put/get requests on the channel
 * </pre>
 *
 * <p>It starts with the first export, listens on a Unix domain socket in the process's private
 * socket directory with a random key of its own, and lives as long as the process, which is what
 * keeps exported objects reachable. A handle carries the socket path and the key, so whoever
 * holds a handle can attach; nobody else can reach the socket (mode 700 directory) or pass the
 * handshake.
 */
final class Exporter {

    /** Something exported: what to do when a process attaches to it. */
    interface Target {
        /**
         * Takes over {@code channel}, calling {@code confirm} before anything else goes out on
         * it: the attaching process waits for that, and then has its end.
         */
        void attach(FrameChannel channel, JsonNode request, Confirmation confirm) throws IOException;

        /** Whether only one process may ever attach (a pipe end) or any number (a queue). */
        boolean once();
    }

    /** Tells an attaching process that it is attached: the first frame it reads after asking. */
    @FunctionalInterface
    interface Confirmation {
        /** For a socket whose other end asked nothing. */
        Confirmation NONE = () -> {};

        void send() throws IOException;
    }

    private static final System.Logger LOG = System.getLogger("dev.pyloom.ipc");

    private static final java.util.concurrent.locks.ReentrantLock STARTING = new java.util.concurrent.locks.ReentrantLock();
    private static volatile Exporter instance; // written once, under STARTING

    private final byte[] key;
    private final Acceptor acceptor;
    private final String address;
    private final Map<Long, Registration> targets = new ConcurrentHashMap<>();

    /** A target, the kind of object it is, and the secret that names it. */
    private record Registration(String kind, byte[] token, Target target) {}
    private final AtomicLong ids = new AtomicLong();

    private Exporter(byte[] key, Acceptor acceptor) {
        this.key = key;
        this.acceptor = acceptor;
        this.address = ((UnixDomainSocketAddress) acceptor.address()).getPath().toString();
    }

    private static Exporter start() {
        byte[] key = Handshake.newKey();
        try {
            Acceptor acceptor = new Acceptor(SocketFiles.newAddress("handles"), 128, key,
                    FrameChannel.DEFAULT_MAX_FRAME_BYTES, Handshake.DEFAULT_TIMEOUT);
            Exporter exporter = new Exporter(key, acceptor);
            loadServingClasses();
            Thread.ofVirtual().name("pyloom-ipc-exporter").start(exporter::serve);
            return exporter;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot start this process's handle server, which other"
                    + " processes reach its pipes and queues through: " + e.getMessage(), e);
        }
    }

    /*
     * The classes that serve another process's attach (its handshake, then a queue's requests),
     * loaded now rather than when a child first attaches: a launcher that runs the program in its
     * own JVM (mvn exec:java) closes the program's class loader when main returns, while the
     * children it started may still be attaching to its queues.
     */
    private static final List<String> SERVING = List.of("dev.pyloom.ipc.internal.Acceptor$Pending",
            "dev.pyloom.ipc.internal.Handshake$Exchange", "dev.pyloom.ipc.internal.Watchdog",
            "dev.pyloom.ipc.internal.Control", "dev.pyloom.ipc.internal.FrameKind",
            "dev.pyloom.ipc.internal.FrameChannel$FrameReader", "dev.pyloom.ipc.internal.HmacSha256",
            "dev.pyloom.ipc.internal.Poller", "dev.pyloom.ipc.internal.Frame", "dev.pyloom.ipc.Exporter$Confirmation",
            "dev.pyloom.ipc.QueueStore$Borrower", "dev.pyloom.ipc.QueueStore$Delivery", "dev.pyloom.ipc.QueueSession",
            "dev.pyloom.ipc.QueueSession$Request");

    private static void loadServingClasses() {
        for (String name : SERVING) {
            try {
                Class.forName(name, false, Exporter.class.getClassLoader());
            } catch (ClassNotFoundException renamed) {
                throw new IllegalStateException("pyloom's own class " + name + " is missing", renamed);
            }
        }
    }

    /**
     * The process's exporter, started on first use; a start that fails is tried again by the
     * next use.
     *
     * @throws java.io.UncheckedIOException if it cannot start (its socket cannot be created),
     *                                      saying why
     */
    static Exporter get() {
        Exporter exporter = instance;
        if (exporter != null) {
            return exporter;
        }
        STARTING.lock();
        try {
            if (instance == null) {
                instance = start();
            }
            return instance;
        } finally {
            STARTING.unlock();
        }
    }

    /**
     * Registers {@code target} and returns its handle: {@code {"pyloom": kind, "address": ...,
     * "key": ..., "id": ..., "token": ...}} plus whatever the caller adds.
     *
     * <p>The key proves the holder got a handle from this process; the token, random per
     * target, says which object it may attach to. Without it, one handle's key and a guessed id
     * would reach every other object this process exported.
     */
    ObjectNode register(String kind, Target target) {
        long id = ids.incrementAndGet();
        byte[] token = Handshake.newKey();
        targets.put(id, new Registration(kind, token, target));
        return Control.object()
                .put("pyloom", kind)
                .put("address", address)
                .put("key", Control.base64(key))
                .put("id", id)
                .put("token", Control.base64(token));
    }

    private void serve() {
        for (;;) {
            FrameChannel channel;
            try {
                channel = acceptor.accept();
            } catch (IOException closed) {
                return;
            }
            SocketThreads.start("pyloom-ipc-attach", () -> dispatch(channel));
        }
    }

    private void dispatch(FrameChannel channel) {
        try {
            JsonNode request = Control.receive(channel);
            long id = request.path("id").asLong(-1);
            Registration found = "attach".equals(Control.opOf(request)) ? targets.get(id) : null;
            boolean entitled = found != null
                    && found.kind().equals(request.path("kind").asString(""))
                    && MessageDigest.isEqual(found.token(), Control.unbase64(request, "token"));
            if (entitled && found.target().once() && !targets.remove(id, found)) {
                entitled = false; // another process attached first
            }
            if (!entitled) {
                Control.send(channel, Control.op("refused").put("reason",
                        "nothing to attach to with this handle (already attached elsewhere, or gone)"));
                channel.close();
                return;
            }
            found.target().attach(channel, request, () -> Control.send(channel, Control.op("attached")));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, () -> "attach failed: " + e);
            try {
                channel.close();
            } catch (IOException ignored) {
                // already failing
            }
        }
    }

    /**
     * The other side: connects to the process that exported {@code handle}, proves it holds the
     * handle's key, and attaches. Returns the attached channel.
     *
     * @throws IOException if the handle is not of {@code kind}, the exporting process is gone,
     *                     or it refuses (e.g. a pipe end already attached elsewhere)
     */
    static FrameChannel attach(JsonNode handle, String kind) throws IOException {
        if (handle == null || !kind.equals(handle.path("pyloom").asString(""))) {
            throw new MalformedMessageException("not a pyloom " + kind + " handle: " + handle);
        }
        byte[] key = Control.unbase64(handle, "key");
        String address = handle.path("address").asString("");
        if (key.length == 0 || address.isEmpty()) {
            throw new MalformedMessageException("incomplete " + kind + " handle: " + handle);
        }
        FrameChannel channel;
        try {
            channel = new FrameChannel(Sockets.connect(UnixDomainSocketAddress.of(address)),
                    FrameChannel.DEFAULT_MAX_FRAME_BYTES);
        } catch (java.nio.channels.ClosedByInterruptException e) {
            java.io.InterruptedIOException interrupted = new java.io.InterruptedIOException(
                    "interrupted while connecting to the process that sent this " + kind);
            interrupted.initCause(e);
            throw interrupted;
        } catch (IOException e) {
            throw new IOException("cannot reach the process that sent this " + kind + " (" + address
                    + "): it may have exited", e);
        }
        try {
            Handshake.asClient(channel, key, FrameChannel.DEFAULT_MAX_FRAME_BYTES, Handshake.DEFAULT_TIMEOUT);
            Control.send(channel, Control.op("attach").put("kind", kind).put("id", handle.path("id").asLong())
                    .put("token", handle.path("token").asString("")));
            JsonNode reply = Control.receive(channel);
            if (!"attached".equals(Control.opOf(reply))) {
                throw new IOException("cannot attach to this " + kind + ": " + reply.path("reason").asString("refused"));
            }
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }
}

package dev.pyloom.ipc;

import dev.pyloom.ipc.internal.Acceptor;
import dev.pyloom.ipc.internal.Control;
import dev.pyloom.ipc.internal.FrameChannel;
import dev.pyloom.ipc.internal.Handshake;
import dev.pyloom.ipc.internal.SocketFiles;
import dev.pyloom.ipc.internal.Sockets;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.UnixDomainSocketAddress;
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
 *   target.attach(channel)                   &lt;--------- attach {kind, id} ------
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
        /** Takes over {@code channel}, which has been told it is attached. */
        void attach(FrameChannel channel, JsonNode request) throws IOException;

        /** Whether only one process may ever attach (a pipe end) or any number (a queue). */
        boolean once();
    }

    private static final System.Logger LOG = System.getLogger("dev.pyloom.ipc");

    private static final class Holder {
        static final Exporter INSTANCE = start();
    }

    private final byte[] key;
    private final Acceptor acceptor;
    private final String address;
    private final Map<Long, Target> targets = new ConcurrentHashMap<>();
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
            Thread.ofVirtual().name("pyloom-ipc-exporter").start(exporter::serve);
            return exporter;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot start this process's handle server", e);
        }
    }

    /** The process's exporter, started on first use. */
    static Exporter get() {
        return Holder.INSTANCE;
    }

    /**
     * Registers {@code target} and returns its handle: {@code {"pyloom": kind, "address": ...,
     * "key": ..., "id": ...}} plus whatever the caller adds.
     */
    ObjectNode register(String kind, Target target) {
        long id = ids.incrementAndGet();
        targets.put(id, target);
        return Control.object()
                .put("pyloom", kind)
                .put("address", address)
                .put("key", Control.base64(key))
                .put("id", id);
    }

    /** Forgets a target: later attaches to it are refused. */
    void unregister(long id) {
        targets.remove(id);
    }

    private void serve() {
        for (;;) {
            FrameChannel channel;
            try {
                channel = acceptor.accept();
            } catch (IOException closed) {
                return;
            }
            Thread.ofVirtual().name("pyloom-ipc-attach").start(() -> dispatch(channel));
        }
    }

    private void dispatch(FrameChannel channel) {
        try {
            JsonNode request = Control.receive(channel);
            long id = request.path("id").asLong(-1);
            Target target = "attach".equals(Control.opOf(request)) ? targets.get(id) : null;
            if (target != null && target.once() && !targets.remove(id, target)) {
                target = null; // another process attached first
            }
            if (target == null) {
                Control.send(channel, Control.op("refused").put("reason",
                        "nothing to attach to with id " + id + " (already attached elsewhere, or gone)"));
                channel.close();
                return;
            }
            Control.send(channel, Control.op("attached"));
            target.attach(channel, request);
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
        } catch (IOException e) {
            throw new IOException("cannot reach the process that sent this " + kind + " (" + address
                    + "): it may have exited", e);
        }
        try {
            Handshake.asClient(channel, key, FrameChannel.DEFAULT_MAX_FRAME_BYTES, Handshake.DEFAULT_TIMEOUT);
            Control.send(channel, Control.op("attach").put("kind", kind).put("id", handle.path("id").asLong()));
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

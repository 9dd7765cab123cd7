package dev.pyloom.multiprocessing.internal;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The messages between a parent and its worker JVMs. The bootstrap goes through the child's
 * standard input (which stays open afterwards: its end is how a child learns that its parent has
 * died); everything else goes over a pyloom-ipc {@code Connection} authenticated with the key in
 * the bootstrap, starting with a {@link Hello} and then carrying the frames of {@link Wire}.
 * Standard output and error are never used: they belong to the tasks.
 */
public final class Protocol {

    /**
     * The largest frame on a pool's connections. They are authenticated and between processes of
     * one program, so the limit is about memory, not abuse: a map's chunk of big items must fit.
     */
    public static final int MAX_FRAME_BYTES = 1 << 30;

    private Protocol() {}

    /** What a child is and does, as one JSON line on its standard input. */
    public record Bootstrap(
            String role,             // "pool" (a Pool's worker) or "process" (a PyProcess)
            String name,             // its name, as PyProcess.current().name() reports it
            boolean daemon,
            String address,          // pool: where to connect back
            String key,              // pool: the listener's auth key, base64
            String token,            // pool: says which worker this is
            TaskRef initializer,     // pool: run once before the first task; may be null
            List<JsonNode> initArgs,
            TaskRef target,          // process: the one task to run
            List<JsonNode> args) {}

    /** The worker's first message on its connection. */
    public record Hello(String token, long pid) {}
}

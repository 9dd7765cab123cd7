/**
 * JSON messages between processes: Python's {@code multiprocessing.connection} and
 * {@code multiprocessing} queues, for Java.
 *
 * <p>Only {@code dev.pyloom.ipc} is exported; the wire-level machinery lives in
 * {@code dev.pyloom.ipc.internal}, which is not, except to pyloom's multiprocessing, which
 * orders its own exit actions before this module's.
 */
module dev.pyloom.ipc {
    // transitive: Json, the codec facade, speaks in Jackson's JsonNode
    requires transitive tools.jackson.databind;
    // pyloom's internal helpers (the rule for timeouts, pyloom's service threads)
    requires dev.pyloom.common;

    exports dev.pyloom.ipc;
    // pyloom's multiprocessing orders its exit actions before the sockets go (ExitSequence)
    exports dev.pyloom.ipc.internal to dev.pyloom.multiprocessing;
}

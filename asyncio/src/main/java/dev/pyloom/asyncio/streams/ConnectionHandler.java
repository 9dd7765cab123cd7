package dev.pyloom.asyncio.streams;

/**
 * What a {@link Server} runs for each client: Python's {@code client_connected_cb(reader, writer)}.
 * It runs as a task of its own; when it returns or throws, the connection is closed.
 */
@FunctionalInterface
public interface ConnectionHandler {

    /** Serves one client. Runs as a coroutine on the server's loop. */
    void handle(StreamReader reader, StreamWriter writer) throws Exception;
}

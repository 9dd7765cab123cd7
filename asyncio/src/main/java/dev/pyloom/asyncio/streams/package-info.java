/**
 * Streams: TCP connections and servers, and child processes with piped streams; Python's
 * {@code asyncio.streams} and {@code asyncio.subprocess}.
 *
 * <p>{@link Streams} opens them ({@code openConnection}, {@code startServer},
 * {@code createSubprocessExec}); a {@link StreamReader} and a {@link StreamWriter} move the bytes.
 *
 * <p>The loop never waits for I/O: one selector thread per loop reads its sockets, and small
 * virtual threads (pumps) write them and move a child's pipes; they hand what they got to the
 * loop through its thread-safe inbox, so a read or a {@code drain()} that waits is an await on a
 * loop future like any other. Under each reader and writer is a transport (package-private): a
 * {@code SocketTransport} for a connection, a {@code PipeTransport} for a child's pipe, sharing
 * {@code Transport}; its {@code WriteBuffer} holds the bytes queued and their flow control,
 * CPython's {@code FlowControlMixin}.
 */
package dev.pyloom.asyncio.streams;

/**
 * JSON messages between processes: Python's {@code multiprocessing.connection} ({@code Pipe},
 * {@code Listener}, {@code Client}) and its queues ({@code Queue}, {@code SimpleQueue},
 * {@code JoinableQueue}), for Java.
 *
 * <h2>The picture</h2>
 *
 * <pre>
 *   process A                                                   process B
 *   ---------                                                   ---------
 *   Connection.send(obj)                                        Connection.recv(Type.class)
 *     Jackson: obj -&gt; JSON bytes                                  Jackson: JSON bytes -&gt; Type
 *     FrameChannel: [length][kind][payload] ==== socket ====&gt;    FrameChannel: buffered, checked
 *                                     (Unix domain socket, or TCP)
 *
 *   Queue (created here: the owner)                             Queue.fromHandle(h) / inside a message
 *     QueueStore: the items, as JSON bytes  &lt;== QueueSession ==  RemoteQueue
 *       local put/get go straight to it         (one per lane)     puts: feeder thread, pipelined
 *                                                                  gets: RemoteConsumer; the only
 *                                                                  consumer is lent what waits
 *
 *   Exporter: this process's handle server. A Connection or Queue put inside a message, or
 *   turned into a string by toHandle(), becomes {"pyloom": ..., "address", "key", "id"}; the
 *   receiving process connects to the Exporter with that key and attaches.
 * </pre>
 *
 * <h2>The actors</h2>
 *
 * <ul>
 *   <li><b>{@link dev.pyloom.ipc.Connection}</b> is one end of a link. It sends values as JSON in
 *       length-prefixed frames and receives exactly the type asked for. Bad input (a frame over
 *       the limit, a truncated frame, bytes that are not JSON, JSON of the wrong shape) is an
 *       exception on that connection, which closes; nothing else is affected.</li>
 *   <li><b>{@link dev.pyloom.ipc.Pipe}</b> makes two connected ends, lazily: an end sent to
 *       another process before use is connected to its partner directly by the socket that
 *       process opens (Python passes the file descriptor; the JDK cannot).</li>
 *   <li><b>{@link dev.pyloom.ipc.Listener}</b> and <b>{@link dev.pyloom.ipc.Client}</b> connect
 *       processes that find each other by address, with an HMAC challenge in both directions when
 *       they share a key.</li>
 *   <li><b>{@link dev.pyloom.ipc.Queue}</b>, <b>{@link dev.pyloom.ipc.JoinableQueue}</b> and
 *       <b>{@link dev.pyloom.ipc.SimpleQueue}</b> keep their items in the process that created
 *       them; every other process talks to that one.</li>
 * </ul>
 *
 * <h2>Safety</h2>
 *
 * <p>The wire never names a class: decoding builds only the type the receiver asked for (or
 * maps, lists, strings, numbers, booleans and null), so a message cannot make a process load or
 * instantiate anything it did not ask for. Sockets live in a fresh directory only the owner can
 * enter, removed at exit. A frame header cannot make a reader allocate more than the bytes that
 * actually arrive (beyond a first megabyte).
 *
 * <p>In a modular application, message types must be readable by Jackson: export or open their
 * packages to {@code tools.jackson.databind}, as for any Jackson use.
 */
package dev.pyloom.ipc;

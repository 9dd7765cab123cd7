/**
 * Python's {@code multiprocessing}: {@link dev.pyloom.multiprocessing.PyProcess} and a
 * {@link dev.pyloom.multiprocessing.Pool} whose workers are JVMs started from this one's
 * {@code java} and class path, with tasks and results as JSON over {@code dev.pyloom.ipc}.
 *
 * <h2>How a task travels</h2>
 *
 * <pre>
 *  caller threads          this JVM                                            worker JVMs
 *  applyAsync/map --submit--> TaskQueue [job][job][chunk]...
 *  imap --> Feeder --feed----------^ (reads the items a chunk at a time, as the places take them)
 *                                  | take / poll
 *                                  v
 *                          place (one thread per worker) --job frames------->  WorkerMain:
 *                          [in flight: oldest ... newest] &lt;--answer frames---    decode, invoke,
 *                                  | decode results                               encode
 *                                  v
 *  get() / next() &lt;-------- AsyncResult, MapCollector, ResultIterator
 *                                  | if there is a callback
 *                                  v
 *                          result-handler thread: callbacks, in order of completion
 * </pre>
 *
 * <p>A job is one call, or a chunk of a map's calls. An {@code imap}'s {@code Feeder} reads its
 * items on a thread of its own and feeds them to the queue while the workers run them, never
 * more than a bounded number ahead. A worker runs its jobs in the order sent,
 * so the oldest job in flight is the one it is running: when it dies, that job fails with a
 * {@link dev.pyloom.multiprocessing.WorkerDiedException} and the rest go back to the queue.
 * {@code Pool} is the API in front: its {@code Submitter} turns calls into jobs (resolving each
 * task once, numbering and chunking), and its {@code PoolRuntime} is what runs them: the places
 * and what they share (the queue, the listener, worker starts, delivery).
 * {@code PoolWorker} is a place, and holds the protocol from the parent's side
 * ({@code AheadWriter} writes the jobs it sends ahead, so that it always reads while a worker
 * may be writing),
 * {@code internal.WorkerMain} from the child's, {@code internal.Wire} the frames between them.
 * {@code internal.JvmLauncher} starts the children: {@code internal.ChildClasspath} derives what
 * they load from the class loaders of the code that uses pyloom, {@code internal.ClassDataArchive}
 * and {@code internal.ArchiveTrainer} keep their class-data archive, {@code internal.ErrorStream}
 * copies their standard error. The README has the Python → Java table, the launch shapes and
 * the failure guarantees.
 */
package dev.pyloom.multiprocessing;

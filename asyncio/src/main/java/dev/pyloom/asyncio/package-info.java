/**
 * Python's {@code asyncio}, for Java 21+: an event loop whose coroutines are direct-style Java
 * on virtual threads.
 *
 * <h2>What it is for</h2>
 *
 * <p>Python's tutorial ends its tour of concurrency with coroutines: functions that suspend at
 * {@code await} and let a message loop run something else, so that thousands of waits share one
 * thread, switch without a thread switch, and need no lock, because only one of them runs at a
 * time and only between two of its await points. This package gives Java the same model with
 * plain, blocking-looking code: a {@link dev.pyloom.asyncio.Coroutine} is a lambda,
 * {@code await x} is {@code x.await()}, {@code asyncio.sleep(1)} is
 * {@code Asyncio.sleep(Duration.ofSeconds(1))}, and the names are Python's, in camelCase.
 *
 * <h2>How it is built</h2>
 *
 * <pre>
 *   thread calling loop.run(main) ─────────────► driver: runs the loop, one turn after another
 *
 *   one turn:   inbox (other threads) ──┐
 *               timers that came due ───┼──► ready queue ──► run each item, in order:
 *                                       │                     Handle     a callback, to its end
 *               callSoon, a future ─────┘                     task step  the coroutine runs until
 *               completing, createTask                                   its next await point
 *
 *   an await point:   coroutine ──► "wake me when F is done" on F ──► gives the turn back
 *                     F completes ──► the task's step goes to the back of the ready queue
 * </pre>
 *
 * <ul>
 *   <li><b>The driver</b> is the thread that runs the loop: it moves arrivals from the
 *       thread-safe inbox and due timers into the ready queue, runs what was ready at the start
 *       of the turn, and parks when there is nothing to do until the next timer or arrival
 *       (CPython's {@code _run_once}).</li>
 *   <li><b>A task</b> ({@link dev.pyloom.asyncio.Task}) runs its coroutine on a virtual thread of
 *       its own. It runs only when the loop hands it the turn, and hands it back at its next await
 *       point: awaiting a {@link dev.pyloom.asyncio.Future} or task, {@code sleep}, a primitive,
 *       a queue.</li>
 *   <li><b>A strategy</b> ({@link dev.pyloom.asyncio.Strategy}) says how the turn passes.
 *       <em>Carrier</em>: the loop is the scheduler of its tasks' virtual threads, and the driver
 *       the only carrier they mount on; a switch is a continuation yield. <em>Handoff</em>: tasks
 *       are ordinary virtual threads; the driver grants one the turn and parks until it is given
 *       back. Both give the same guarantees and run the same tests.</li>
 *   <li><b>Cancellation</b> is Python's: {@code task.cancel()} makes the coroutine's current
 *       await point throw {@link dev.pyloom.asyncio.CancelledException} (or forwards the cancel
 *       to the future it awaits), {@code finally} blocks run, and the task ends cancelled if the
 *       exception gets out. {@link dev.pyloom.asyncio.Timeout} and
 *       {@link dev.pyloom.asyncio.TaskGroup} build on it.</li>
 *   <li><b>I/O</b> (the {@link dev.pyloom.asyncio.streams streams}, servers and subprocesses) happens on
 *       helper threads outside the loop: one selector thread per loop reads its sockets, and
 *       small virtual threads, the <em>pumps</em>, write them and move a child's pipes (the JDK
 *       parks a virtual thread blocked in I/O on its poller). They hand what they got to the loop
 *       through its thread-safe inbox, so a read or a {@code drain()} that waits is an await on a
 *       loop future like any other. The loop itself never waits for I/O.</li>
 *   <li><b>Loop-bound primitives</b> (the {@link dev.pyloom.asyncio.locks locks} and the
 *       {@link dev.pyloom.asyncio.queues queues}, on {@link dev.pyloom.asyncio.LoopBound}) hold no lock: the
 *       single-runner rule protects them. They bind to the loop that first uses them and reject
 *       calls from any other thread with an {@link java.lang.IllegalStateException}.</li>
 * </ul>
 *
 * <p>What it deliberately does not do: a blocking JDK call inside a coroutine is not made
 * asynchronous. It holds the loop, exactly as in Python (under the carrier strategy the driver
 * then runs nothing else until that coroutine is back); {@link dev.pyloom.asyncio.Asyncio#toThread}
 * runs blocking code elsewhere.
 *
 * <p>Errors keep Python's meaning in the JDK's types: {@code CancelledError} is
 * {@link dev.pyloom.asyncio.CancelledException} (a {@link java.util.concurrent.CancellationException}),
 * {@code TimeoutError} is {@link java.util.concurrent.TimeoutException}, {@code RuntimeError} is
 * {@link java.lang.IllegalStateException}, {@code ValueError} is
 * {@link java.lang.IllegalArgumentException}, {@code InvalidStateError} is
 * {@link java.lang.IllegalStateException}, {@code BrokenBarrierError} is
 * {@link java.util.concurrent.BrokenBarrierException}; {@code ExceptionGroup} is a small class of
 * this package, and {@code QueueEmpty}, {@code QueueFull}, {@code QueueShutDown},
 * {@code GeneratorExit} and {@code StopIteration} small classes of the packages they belong to.
 *
 * <h2>The packages</h2>
 *
 * <p>As CPython's {@code Lib/asyncio/} has a file per concept, pyloom has a package per concept.
 * This one is the core; the others are built on its public API, as CPython's {@code locks.py}
 * and {@code queues.py} are built on futures, and nothing here imports them.
 *
 * <table>
 *   <caption>asyncio's packages</caption>
 *   <tr><th>package</th><th>what</th><th>CPython</th></tr>
 *   <tr><td>{@code dev.pyloom.asyncio}</td><td>the loop, tasks, futures, timeouts, task groups, handles</td>
 *       <td>{@code base_events.py}, {@code tasks.py}, {@code futures.py}, {@code timeouts.py}, {@code taskgroups.py}, {@code events.py}</td></tr>
 *   <tr><td>{@link dev.pyloom.asyncio.locks}</td><td>Lock, Event, Condition, Semaphore, Barrier</td><td>{@code locks.py}</td></tr>
 *   <tr><td>{@link dev.pyloom.asyncio.queues}</td><td>Queue, PriorityQueue, LifoQueue</td><td>{@code queues.py}</td></tr>
 *   <tr><td>{@link dev.pyloom.asyncio.streams}</td><td>TCP streams and servers, subprocesses</td>
 *       <td>{@code streams.py}, {@code subprocess.py}</td></tr>
 *   <tr><td>{@link dev.pyloom.asyncio.generators}</td><td>generator-style coroutines</td><td>(the language's generators)</td></tr>
 * </table>
 *
 * <p>The streams reach the few loop hooks they need beyond the public API (resources closed with
 * the loop, a callback that may outlive it) through an internal interface, as CPython's
 * transports call the loop's underscore methods.
 *
 * <h2>Reading order</h2>
 *
 * <ol>
 *   <li>{@link dev.pyloom.asyncio.Coroutine} and {@link dev.pyloom.asyncio.Asyncio}: what a user writes.</li>
 *   <li>{@link dev.pyloom.asyncio.EventLoop}: the loop's API and lifecycle; then its
 *       {@code Dispatcher} (the ready queue, the timers, the inbox, one turn after another),
 *       whose items are {@link dev.pyloom.asyncio.Handle}s, {@link dev.pyloom.asyncio.TimerHandle}s
 *       and tasks' steps; and {@code LoopTurn}, which says who runs now. {@code RunningLoops},
 *       {@code LiveTasks} and {@code LoopResources} are the loop's registries.</li>
 *   <li>{@link dev.pyloom.asyncio.Future}, then {@link dev.pyloom.asyncio.Task}: a future whose
 *       result a coroutine computes, and the await point ({@code Task.awaitDone}) every wait
 *       comes down to.</li>
 *   <li>{@link dev.pyloom.asyncio.Strategy} and its two schedulers ({@code CarrierScheduler},
 *       {@code HandoffScheduler}): how the turn passes from the loop to a task and back.</li>
 *   <li>{@link dev.pyloom.asyncio.Timeout} and {@link dev.pyloom.asyncio.TaskGroup}: Python's
 *       structured cancellation, on {@code Task.cancel} and {@code uncancel}.</li>
 *   <li>{@link dev.pyloom.asyncio.LoopBound}, then any concept package.</li>
 * </ol>
 */
package dev.pyloom.asyncio;

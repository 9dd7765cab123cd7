package dev.pyloom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.ipc.Connection;
import dev.pyloom.ipc.JoinableQueue;
import dev.pyloom.ipc.Pipe;
import dev.pyloom.ipc.Queue;
import dev.pyloom.it.programs.DuplexPeers;
import dev.pyloom.it.programs.JoinableWorker;
import dev.pyloom.it.programs.JoinableWorker.Job;
import dev.pyloom.it.programs.Msg;
import dev.pyloom.it.programs.Progress;
import dev.pyloom.it.programs.WriterReader;
import dev.pyloom.multiprocessing.PyProcess;
import dev.pyloom.testing.Spawned;
import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Child processes talking to each other through the queues and pipes their parent made and
 * handed them as arguments, as in the tutorial: the parent only starts them, and checks what
 * they report.
 *
 * <pre>
 *   parent ── starts ──&gt; writer ──Queue──&gt; reader          (the tutorial's pair)
 *   parent ── starts ──&gt; ping &lt;──duplex Pipe──&gt; pong
 *   parent ── puts ──&gt; JoinableQueue ──&gt; 3 worker processes ── taskDone() ──&gt; parent's join()
 *                                               └── Pipe each: "finished item n" ──&gt; parent
 * </pre>
 *
 * <p>Every child is reaped: joined, or killed and joined when a test fails half-way.
 */
class IpcBetweenChildrenIT {

    /** An upper bound for a whole test, reached only when something hangs. */
    private static final Duration LIMIT = Duration.ofSeconds(120);
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Test
    void theTutorialsWriterAndReaderProcessesShareAQueue() {
        assertTimeoutPreemptively(LIMIT, () -> {
            Queue<String> q = Queue.of(String.class);
            Queue<String> seen = Queue.of(String.class);
            PyProcess pw = new PyProcess(WriterReader::write, q);
            PyProcess pr = new PyProcess(WriterReader::read, q, seen);
            try {
                pw.start();
                pr.start();
                assertTrue(pw.join(PATIENCE), "the writer finished");
                assertEquals(OptionalInt.of(0), pw.exitCode());
                List<String> read = new ArrayList<>();
                for (int i = 0; i < WriterReader.VALUES.size(); i++) {
                    read.add(seen.get(PATIENCE));
                }
                assertEquals(WriterReader.VALUES, read, "the reader got every value, in the writer's order");
                // As in the tutorial: the reader loops for ever, and is terminated.
                pr.terminate();
                assertTrue(pr.join(PATIENCE), "the reader ended");
                assertEquals(OptionalInt.of(-15), pr.exitCode());
                assertTrue(q.empty());
            } finally {
                Children.reap(pw, pr);
            }
        });
    }

    @Test
    void twoChildProcessesTalkBothWaysOverADuplexPipe() {
        int exchanges = 200;
        assertTimeoutPreemptively(LIMIT, () -> {
            Pipe pipe = Pipe.open();
            Queue<Msg> report = Queue.of(Msg.class);
            PyProcess ping = new PyProcess(DuplexPeers::ping, pipe.conn1(), report, exchanges);
            PyProcess pong = new PyProcess(DuplexPeers::pong, pipe.conn2(), report, exchanges);
            try {
                ping.start();
                pong.start();
                assertThrows(IOException.class, () -> pipe.conn1().send("from the parent"),
                        "both ends belong to the children now");
                assertThrows(IOException.class, () -> pipe.conn2().send("from the parent"));
                List<Msg> reported = new ArrayList<>();
                for (int i = 0; i < 2 * exchanges + 1; i++) {
                    reported.add(report.get(PATIENCE));
                }
                assertTrue(ping.join(PATIENCE));
                assertTrue(pong.join(PATIENCE));
                assertEquals(OptionalInt.of(0), ping.exitCode(), "ping checked every answer");
                assertEquals(OptionalInt.of(0), pong.exitCode(), "pong checked every request");
                List<Integer> expected = IntStream.range(0, exchanges).boxed().toList();
                assertEquals(expected, seqsOf(reported, "ping"), "what pong received, in order");
                assertEquals(expected, seqsOf(reported, "pong"), "what ping received, in order");
                assertEquals(List.of(exchanges), seqsOf(reported, DuplexPeers.END),
                        "pong read the end of the stream after the last ping, once ping closed its end");
            } finally {
                Children.reap(ping, pong);
            }
        });
    }

    @Test
    void joinReturnsOnlyAfterWorkersInSeveralProcessesMarkedEveryItemDone() {
        int workers = 3;
        int items = 300;
        assertTimeoutPreemptively(LIMIT, () -> {
            JoinableQueue<Job> jobs = JoinableQueue.of(Job.class);
            Queue<Integer> gate = Queue.of(Integer.class);
            List<Connection> logs = new ArrayList<>();
            List<PyProcess> children = new ArrayList<>();
            try {
                for (int w = 0; w < workers; w++) {
                    Pipe log = Pipe.open(false); // conn1 receives here, conn2 sends from the worker
                    logs.add(log.conn1());
                    PyProcess child = new PyProcess(JoinableWorker::work, jobs, gate, log.conn2());
                    children.add(child);
                    child.start();
                }
                // The last `workers` items are held: each worker takes at most one (it waits on the
                // gate with it), so each of them ends up holding one, undone.
                for (int i = 0; i < items; i++) {
                    jobs.put(new Job(i, i >= items - workers));
                }
                Spawned<Void> joiner = Spawned.run(() -> {
                    jobs.join();
                    // The workers are killed the moment join() returns: what their logs hold then
                    // is exactly what they had sent before it returned.
                    for (PyProcess child : children) {
                        child.kill();
                    }
                });

                List<Progress> before = readUntil(logs, seen -> count(seen, Progress.FINISHED) == items - workers
                        && count(seen, Progress.HOLDING) == workers);
                joiner.awaitBlocked();
                assertFalse(joiner.isDone(), "every item was taken, " + workers + " are not done: join() waits");

                for (int w = 0; w < workers; w++) {
                    gate.put(1);
                }
                joiner.join();
                for (PyProcess child : children) {
                    assertTrue(child.join(PATIENCE), child + " ended");
                    assertEquals(OptionalInt.of(-9), child.exitCode(), child + " was killed, not failed");
                }
                List<Progress> atJoin = readToEnd(logs);
                assertEquals(workers, atJoin.size(), "the held items' reports were sent before join() returned: "
                        + atJoin);
                assertTrue(atJoin.stream().allMatch(p -> p.stage().equals(Progress.FINISHED)), atJoin.toString());

                List<Progress> all = new ArrayList<>(before);
                all.addAll(atJoin);
                List<Integer> finished = all.stream().filter(p -> p.stage().equals(Progress.FINISHED))
                        .map(Progress::item).sorted().toList();
                assertEquals(IntStream.range(0, items).boxed().toList(), finished,
                        "every item finished exactly once before join() returned");
                Set<String> holders = all.stream().filter(p -> p.stage().equals(Progress.HOLDING))
                        .map(Progress::worker).collect(Collectors.toSet());
                assertEquals(workers, holders.size(), "each worker process held one item: " + holders);
            } finally {
                Children.reap(children.toArray(PyProcess[]::new));
            }
        });
    }

    // ------------------------------------------------------------------ helpers

    private static List<Integer> seqsOf(List<Msg> messages, String producer) {
        return messages.stream().filter(m -> m.producer().equals(producer)).map(Msg::seq).toList();
    }

    private static long count(List<Progress> progress, String stage) {
        return progress.stream().filter(p -> p.stage().equals(stage)).count();
    }

    /**
     * Reads what the logs hold until {@code done} holds of all that was read; fails after
     * {@link #PATIENCE}. When none has anything, it waits a moment on one of them, in turn.
     */
    private static List<Progress> readUntil(List<Connection> logs, Predicate<List<Progress>> done) throws IOException {
        List<Progress> seen = new ArrayList<>();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        for (int turn = 0; !done.test(seen); turn++) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("the workers' reports stopped short: " + seen);
            }
            List<Progress> fresh = drain(logs);
            if (fresh.isEmpty()) {
                logs.get(turn % logs.size()).poll(Duration.ofMillis(10));
            }
            seen.addAll(fresh);
        }
        return seen;
    }

    /** Every report the logs hold up to their ends: their writers are gone. */
    private static List<Progress> readToEnd(List<Connection> logs) throws IOException {
        List<Progress> read = new ArrayList<>();
        for (Connection log : logs) {
            try {
                for (;;) {
                    read.add(log.recv(Progress.class));
                }
            } catch (EOFException end) {
                // all it held
            }
        }
        return read;
    }

    /** The reports the logs have ready, without waiting for more. */
    private static List<Progress> drain(List<Connection> logs) throws IOException {
        List<Progress> drained = new ArrayList<>();
        for (Connection log : logs) {
            while (log.poll()) {
                drained.add(log.recv(Progress.class));
            }
        }
        return drained;
    }
}

package dev.pyloom.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.multiprocessing.AsyncResult;
import dev.pyloom.multiprocessing.Pool;
import dev.pyloom.testing.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node lost in the middle of a map, in a JVM of its own: killed (SIGKILL), frozen (SIGSTOP)
 * until the cluster gives up on it, or stopped (SIGTERM). Exactly the tasks it had fail, with a
 * {@link NodeLostException} naming it; the other node runs the rest; no task runs twice; the
 * pool closes.
 */
class NodeFailureTest {

    private static final int ITEMS = 24;

    @TempDir
    Path runs;

    @Test
    void aKilledNodeFailsExactlyTheTasksItHad() throws Exception {
        loseANode("-KILL");
    }

    @Test
    void aFrozenNodeFailsExactlyTheTasksItHad() throws Exception {
        loseANode("-STOP");
    }

    @Test
    void sigtermStopsANodeAndItsWorkersAndFailsItsTasksAsLost() throws Exception { // docker stop
        try (LoopbackCluster cluster = new LoopbackCluster()) {
            cluster.start("a", 1);
            try (ChildJvm b = cluster.startJvm("b", 1, runs.resolveSibling(runs.getFileName() + ".key"));
                    Pool pool = cluster.pool(2)) {
                List<AsyncResult<Integer>> results = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    results.add(pool.applyAsync(ClusterTasks::recordThenSleep, runs.toString(), i, 60_000));
                }
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> ranOn("b").size() == 1);
                List<Long> workersOfB = b.process().descendants().map(ProcessHandle::pid).toList();
                signal(b.pid(), "-TERM");
                int onB = ranOn("b").get(0);
                ExecutionException lost = assertThrows(ExecutionException.class,
                        () -> results.get(onB).get(Duration.ofSeconds(60)));
                assertInstanceOf(NodeLostException.class, lost.getCause());
                assertTrue(b.process().waitFor(60, TimeUnit.SECONDS), "node b still runs after SIGTERM");
                for (long worker : workersOfB) {
                    Awaitility.await().atMost(Duration.ofSeconds(30))
                            .until(() -> ProcessHandle.of(worker).map(p -> !p.isAlive()).orElse(true));
                }
                pool.terminate();
            }
        }
    }

    @Test
    void aPoolGoesOnOnceANodeItLostToAPauseAnswersAgain() throws Exception { // a long GC pause, a network cut
        try (LoopbackCluster cluster = new LoopbackCluster()) {
            int port = LoopbackCluster.freePort();
            try (ChildJvm b = cluster.startLoneJvm("b", 1, port, runs.resolveSibling(runs.getFileName() + ".key"));
                    Pool pool = ClusterPool.builder().cluster(cluster.name).members("127.0.0.1:" + port)
                            .authKey(cluster.key).awaitNodes(1, Duration.ofSeconds(60)).build()) {
                List<AsyncResult<Integer>> results = new ArrayList<>();
                for (int i = 0; i < ITEMS; i++) {
                    results.add(pool.applyAsync(ClusterTasks::recordThenSleep, runs.toString(), i, 200));
                }
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> ranOn("b").size() >= 2);
                signal(b.pid(), "-STOP");
                Awaitility.await().atMost(Duration.ofSeconds(60))
                        .until(() -> results.stream().anyMatch(r -> r.ready() && !r.successful()));
                signal(b.pid(), "-CONT");
                int lost = 0;
                for (int i = 0; i < ITEMS; i++) {
                    try {
                        assertEquals(i, results.get(i).get(Duration.ofSeconds(90)));
                        assertEquals(List.of("b"), runsOf(i), "task " + i);
                    } catch (ExecutionException failed) {
                        assertInstanceOf(NodeLostException.class, failed.getCause());
                        assertTrue(runsOf(i).size() <= 1, "task " + i + " ran " + runsOf(i));
                        lost++;
                    }
                }
                assertEquals(1, lost, "the one task its one worker had");
            }
        }
    }

    private void loseANode(String signal) throws Exception {
        try (LoopbackCluster cluster = new LoopbackCluster()) {
            cluster.start("a", 2);
            try (ChildJvm b = cluster.startJvm("b", 2, runs.resolveSibling(runs.getFileName() + ".key"));
                    Pool pool = cluster.pool(2)) {
                List<AsyncResult<Integer>> results = new ArrayList<>();
                for (int i = 0; i < ITEMS; i++) {
                    results.add(pool.applyAsync(ClusterTasks::recordThenSleep, runs.toString(), i, 400));
                }
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> ranOn("b").size() >= 2);
                List<Long> workersOfB = b.process().descendants().map(ProcessHandle::pid).toList();
                signal(b.pid(), signal);

                List<Integer> lost = new ArrayList<>();
                for (int i = 0; i < ITEMS; i++) {
                    try {
                        assertEquals(i, results.get(i).get(Duration.ofSeconds(60)));
                    } catch (ExecutionException failed) {
                        NodeLostException nodeLost = assertInstanceOf(NodeLostException.class, failed.getCause());
                        assertTrue(nodeLost.node().startsWith("node b "), nodeLost.node());
                        lost.add(i);
                    }
                }
                // exactly the tasks b had, at most one per worker: each started there, or was on its
                // way there, and ran nowhere else
                assertFalse(lost.isEmpty());
                assertTrue(lost.size() <= 2, "lost " + lost);
                for (int item : lost) {
                    assertTrue(List.of(List.of("b"), List.of()).contains(runsOf(item)), "task " + item + " ran " + runsOf(item));
                }
                for (int i = 0; i < ITEMS; i++) {
                    if (!lost.contains(i)) {
                        assertEquals(1, runsOf(i).size(), "task " + i + " ran " + runsOf(i));
                    }
                }
                pool.close();
                b.close();
                for (long worker : workersOfB) { // a node's workers go with it
                    Awaitility.await().atMost(Duration.ofSeconds(30))
                            .until(() -> ProcessHandle.of(worker).map(p -> !p.isAlive()).orElse(true));
                }
            }
        }
    }

    private List<Integer> ranOn(String node) throws IOException {
        List<Integer> items = new ArrayList<>();
        for (int i = 0; i < ITEMS; i++) {
            if (runsOf(i).contains(node)) {
                items.add(i);
            }
        }
        return items;
    }

    private List<String> runsOf(int item) throws IOException {
        Path file = runs.resolve("run-" + item);
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    private static void signal(long pid, String signal) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", signal, Long.toString(pid)).start().waitFor());
    }
}

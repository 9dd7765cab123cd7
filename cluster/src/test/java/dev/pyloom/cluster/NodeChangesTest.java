package dev.pyloom.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.pyloom.cluster.internal.Calls;
import dev.pyloom.cluster.internal.HazelcastSetup;
import dev.pyloom.cluster.internal.Signer;
import dev.pyloom.multiprocessing.AsyncResult;
import dev.pyloom.multiprocessing.Pool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Nodes that join, nodes that lack a task's class, workers that die, keys that differ, a pool terminated. */
class NodeChangesTest {

    @Test
    void aNodeThatJoinsMidMapTakesWorkBeforeTheMapEnds() throws Exception {
        try (LoopbackCluster cluster = new LoopbackCluster()) {
            cluster.start("a", 1);
            try (Pool pool = cluster.pool(1)) {
                List<AsyncResult<String>> results = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    results.add(pool.applyAsync(ClusterTasks::nodeAfter, 150));
                }
                assertEquals("a", results.get(0).get());
                cluster.start("b", 1);
                List<String> ranOn = new ArrayList<>();
                for (AsyncResult<String> result : results) {
                    ranOn.add(result.get());
                }
                assertTrue(ranOn.contains("b"), "every task ran on a: " + ranOn);
                assertEquals("a", ranOn.get(0));
            }
        }
    }

    @Test
    void aNodeClosedWhileItRunsTasksFailsThemAsLost() throws Exception {
        try (LoopbackCluster cluster = new LoopbackCluster()) {
            cluster.start("a", 1);
            Node b = cluster.start("b", 1);
            try (Pool pool = cluster.pool(2)) {
                AsyncResult<String> first = pool.applyAsync(ClusterTasks::nodeAfter, 60_000);
                AsyncResult<String> second = pool.applyAsync(ClusterTasks::nodeAfter, 60_000);
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> b.drivers() == 1);
                b.close(); // as SIGTERM does to a node started from the command line
                AsyncResult<String> onB = Awaitility.await().atMost(Duration.ofSeconds(60))
                        .until(() -> first.ready() ? first : second.ready() ? second : null, r -> r != null);
                ExecutionException lost = assertThrows(ExecutionException.class, onB::get);
                NodeLostException cause = assertInstanceOf(NodeLostException.class, lost.getCause());
                assertTrue(cause.node().startsWith("node b "), cause.node());
                pool.terminate();
            }
        }
    }

    @Test
    void aNodeWhoseClassPathLacksTheTaskFailsThatTaskClearlyAndTheOthersRun() throws Exception {
        List<Path> withoutTests = Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(entry -> !entry.contains("test-classes")).map(Path::of).toList();
        try (LoopbackCluster cluster = new LoopbackCluster()) {
            cluster.start("a", 1);
            cluster.start(Node.builder().name("lacking").workers(1).classPath(withoutTests));
            try (Pool pool = cluster.pool(2)) {
                List<AsyncResult<String>> results = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    results.add(pool.applyAsync(ClusterTasks::nodeAfter, 50));
                }
                int ran = 0;
                int lacking = 0;
                for (AsyncResult<String> result : results) {
                    try {
                        assertEquals("a", result.get());
                        ran++;
                    } catch (ExecutionException failed) {
                        IllegalArgumentException cause = assertInstanceOf(IllegalArgumentException.class, failed.getCause());
                        assertTrue(cause.getMessage().contains("no class " + ClusterTasks.class.getName()), cause.getMessage());
                        assertTrue(cause.getCause().getMessage().matches("(?s)thrown in PoolWorker-\\d+ \\(pid \\d+\\) on node lacking .*"),
                                cause.getCause().getMessage()); // the worker's trace, which names it and its node
                        lacking++;
                    }
                }
                assertTrue(ran > 0 && lacking > 0, ran + " ran, " + lacking + " failed");
            }
        }
    }

    @Test
    void aWorkerThatDiesOnANodeFailsItsTaskAlone() throws Exception {
        try (LoopbackCluster cluster = new LoopbackCluster()) {
            cluster.start("a", 1);
            try (Pool pool = cluster.pool(1)) {
                ExecutionException died = assertThrows(ExecutionException.class,
                        () -> pool.applyAsync(ClusterTasks::exit, 3).get());
                assertTrue(died.getCause().getMessage().contains("exited with code 3"), died.getCause().getMessage());
                assertEquals(49, pool.apply(ClusterTasks::square, 7));
            }
        }
    }

    @Test
    void aPoolThatLosesEveryNodeFailsItsTasksOnceItStopsReconnecting() throws Exception {
        try (LoopbackCluster cluster = new LoopbackCluster()) {
            Node only = cluster.start("only", 1);
            try (Pool pool = ClusterPool.builder().cluster(cluster.name).members(cluster.member()).authKey(cluster.key)
                    .awaitNodes(1, Duration.ofSeconds(2)).build()) {
                assertEquals(9, pool.apply(ClusterTasks::square, 3));
                only.close();
                // sent before the pool heard the node leave, or after: lost with it, or never sent
                ExecutionException first = assertThrows(ExecutionException.class,
                        () -> pool.applyAsync(ClusterTasks::square, 4).get(Duration.ofSeconds(60)));
                assertTrue(first.getCause() instanceof NodeLostException
                        || first.getCause().getMessage().contains("the pool lost its cluster"), first.getCause().toString());
                ExecutionException later = assertThrows(ExecutionException.class,
                        () -> pool.applyAsync(ClusterTasks::square, 5).get(Duration.ofSeconds(60)));
                assertTrue(later.getCause().getMessage().contains("the pool lost its cluster"), later.getCause().toString());
            }
        }
    }

    @Test
    void aTasksExceptionArrivesWithItsTypeAndNode() throws Exception {
        try (LoopbackCluster cluster = new LoopbackCluster()) {
            cluster.start("a", 1);
            try (Pool pool = cluster.pool(1)) {
                ExecutionException failed = assertThrows(ExecutionException.class,
                        () -> pool.applyAsync(ClusterTasks::fail, "no such item").get());
                IllegalArgumentException cause = assertInstanceOf(IllegalArgumentException.class, failed.getCause());
                assertEquals("no such item", cause.getMessage());
            }
        }
    }

    @Test
    void aPoolWithAnotherKeyIsRefusedByEveryNode() throws Exception {
        try (LoopbackCluster cluster = new LoopbackCluster()) {
            cluster.start("a", 1);
            byte[] otherKey = cluster.key.clone();
            otherKey[0] ^= 1;
            // the node's answer to the pool's challenge does not check: it is never sent a job
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> ClusterPool.builder()
                    .cluster(cluster.name).members(cluster.member()).authKey(otherKey)
                    .awaitNodes(1, Duration.ofSeconds(3)).build());
            assertTrue(refused.getMessage().contains("could not prove they hold this pool's key"), refused.getMessage());
            assertEquals(0, cluster.nodes.get(0).drivers()); // no workers were started for it
        }
    }

    @Test
    void aNodeRunsNothingSignedWithAnotherKey() throws Exception {
        try (LoopbackCluster cluster = new LoopbackCluster()) {
            Node a = cluster.start("a", 1);
            Calls.Job forged = new Calls.Job(new Signer(new byte[32]), a.memberId(), "driver/1", 1, "forged", new byte[0],
                    new byte[0], 1, 0);
            try (Pool pool = cluster.pool(1)) {
                assertEquals(9, pool.apply(ClusterTasks::square, 3));
            }
            HazelcastInstance stranger = HazelcastClient.newHazelcastClient(HazelcastSetup.client(cluster.name,
                    List.of(cluster.member()), Duration.ofSeconds(10)));
            try {
                Member member = stranger.getCluster().getMembers().iterator().next();
                byte[] answer = stranger.getExecutorService(HazelcastSetup.EXECUTOR).submitToMember(forged, member).get();
                assertTrue(new String(answer, StandardCharsets.UTF_8).contains("it is not signed with the node's key"));
                // a job signed with the key, as one copied on its way: it runs once; sent again, it is refused
                Calls.Job copied = new Calls.Job(new Signer(cluster.key), a.memberId(), "copier/1", 7, "copied",
                        new byte[0], new byte[0], 1, 0);
                String first = new String(stranger.getExecutorService(HazelcastSetup.EXECUTOR)
                        .submitToMember(copied, member).get(), StandardCharsets.UTF_8);
                assertFalse(first.contains("refused"), first);
                String again = new String(stranger.getExecutorService(HazelcastSetup.EXECUTOR)
                        .submitToMember(copied, member).get(), StandardCharsets.UTF_8);
                assertTrue(again.contains("it has received it before"), again);
            } finally {
                stranger.shutdown();
            }
        }
    }

    @Test
    void aMemberThatPosesAsANodeWithoutTheKeyIsSentNothing() throws Exception {
        try (LoopbackCluster cluster = new LoopbackCluster()) {
            cluster.start("a", 1);
            Calls.Receiver forger = new Calls.Receiver() {
                @Override
                public byte[] hello(Calls.Hello hello) {
                    return hello.answer(new Signer(new byte[32]), "its own uuid", "rogue", 1000); // not the cluster's key
                }

                @Override
                public byte[] run(Calls.Job job) {
                    throw new AssertionError("a member that cannot prove it holds the key was sent " + job.label());
                }

                @Override
                public void control(Calls.Control control) {}
            };
            HazelcastInstance rogue = Hazelcast.newHazelcastInstance(HazelcastSetup.member(cluster.name, "127.0.0.1",
                    LoopbackCluster.freePort(), List.of(cluster.member()), "rogue", 1000, forger));
            try (Pool pool = cluster.pool(1)) {
                List<AsyncResult<String>> results = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    results.add(pool.applyAsync(ClusterTasks::nodeAfter, 100));
                }
                for (AsyncResult<String> result : results) {
                    assertEquals("a", result.get());
                }
                assertEquals(1, pool.processes()); // the rogue's thousand workers never counted
            } finally {
                rogue.shutdown();
            }
        }
    }

    @Test
    void terminateKillsTheRunningTasksOnTheNodes() throws Exception {
        try (LoopbackCluster cluster = new LoopbackCluster()) {
            Node a = cluster.start("a", 2);
            Pool pool = cluster.pool(1);
            AsyncResult<String> running = pool.applyAsync(ClusterTasks::nodeAfter, 60_000);
            AsyncResult<Long> pid = pool.applyAsync(ClusterTasks::pid);
            long worker = pid.get();
            pool.terminate();
            assertTrue(running.isDone());
            assertThrows(java.util.concurrent.CancellationException.class, running::get);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> a.drivers() == 0);
            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> ProcessHandle.of(worker).map(p -> !p.isAlive()).orElse(true));
        }
    }

    @Test
    void aTimeLimitAndCancelReachTheNode() throws Exception {
        try (LoopbackCluster cluster = new LoopbackCluster()) {
            cluster.start("a", 2);
            try (Pool pool = cluster.pool(1)) {
                ExecutionException late = assertThrows(ExecutionException.class,
                        () -> pool.applyAsync(ClusterTasks::nodeAfter, 60_000, Duration.ofMillis(300)).get());
                assertInstanceOf(TimeoutException.class, late.getCause());
                AsyncResult<String> cancelled = pool.applyAsync(ClusterTasks::nodeAfter, 60_000);
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> cluster.nodes.get(0).drivers() == 1);
                assertTrue(cancelled.cancel(true));
                assertEquals(9, pool.apply(ClusterTasks::square, 3)); // the workers are free again
                assertEquals(9, pool.apply(ClusterTasks::square, 3));
            }
        }
    }
}

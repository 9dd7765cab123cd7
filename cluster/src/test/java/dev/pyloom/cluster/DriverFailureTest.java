package dev.pyloom.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pyloom.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A driver killed while its tasks run: every node notices, ends its session and kills its workers. */
class DriverFailureTest {

    @TempDir
    Path runs;

    @Test
    void aKilledDriversWorkersAreKilledOnEveryNode() throws Exception {
        try (LoopbackCluster cluster = new LoopbackCluster()) {
            Node a = cluster.start("a", 2);
            Node b = cluster.start("b", 1);
            Path key = runs.resolveSibling(runs.getFileName() + ".key");
            Files.write(key, cluster.key);
            List<Long> workers = new ArrayList<>();
            try (ChildJvm driver = ChildJvm.start(LoopbackCluster.childOptions(), DriverMain.class,
                    cluster.name, cluster.member(), key.toString(), runs.toString(), "3")) {
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> pids().size() == 3);
                assertEquals(1, a.drivers());
                assertEquals(1, b.drivers());
                workers.addAll(pids());
                driver.process().destroyForcibly(); // SIGKILL: the driver's connections close, nothing else
            }
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> a.drivers() == 0 && b.drivers() == 0);
            for (long worker : workers) {
                Awaitility.await().atMost(Duration.ofSeconds(30))
                        .until(() -> ProcessHandle.of(worker).map(p -> !p.isAlive()).orElse(true));
            }
        }
    }

    @Test
    void aProgramThatNeverClosesItsPoolStillExits() throws Exception { // as Python's does: exit terminates it
        try (LoopbackCluster cluster = new LoopbackCluster()) {
            Node a = cluster.start("a", 1);
            Path key = runs.resolveSibling(runs.getFileName() + ".key");
            Files.write(key, cluster.key);
            try (ChildJvm driver = ChildJvm.start(LoopbackCluster.childOptions(), DriverMain.class,
                    cluster.name, cluster.member(), key.toString(), "forget")) {
                ChildJvm.Result result = driver.await();
                assertEquals(0, result.exitCode(), result.stderr());
                assertEquals(List.of("49"), result.stdoutLines());
            }
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> a.drivers() == 0);
        }
    }

    private List<Long> pids() throws Exception {
        List<Long> pids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path file = runs.resolve("pid-" + i);
            if (Files.exists(file) && Files.size(file) > 0) {
                pids.add(Long.parseLong(Files.readString(file).strip()));
            }
        }
        return pids;
    }
}

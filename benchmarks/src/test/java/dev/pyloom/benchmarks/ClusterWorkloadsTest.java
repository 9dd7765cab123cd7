package dev.pyloom.benchmarks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The cluster suite's workloads stay correct: each runs at a tiny size, with its nodes in JVMs of
 * their own, and reports the figures its table needs, on both sides. (How fast is not asserted
 * here; that is what running the benchmarks is for.)
 */
class ClusterWorkloadsTest {

    @ParameterizedTest
    @ValueSource(strings = {"apply", "map"})
    void everyTableWorkloadReportsBothSidesOfItsRows(String workload) throws Exception {
        Map<String, Double> result = ClusterWorkloads.run(workload, ClusterWorkloads.QUICK);
        for (Suite.Row row : new ClusterSuite().rows()) {
            if (row.workload().equals(workload)) {
                assertTrue(result.get(row.key()) > 0, row.key() + " in " + result);
                assertTrue(result.get(row.pyloomKey()) > 0, row.pyloomKey() + " in " + result);
            }
        }
    }

    /*
     * Slow (node JVMs killed and frozen, 5 s of silence each), and what it measures is tested by
     * the cluster module's NodeFailureTest in every build: run with -Dsoak=true, as the soaks are.
     */
    @Test
    @EnabledIfSystemProperty(named = "soak", matches = "true")
    void aKilledAndAFrozenNodeEachFailTheirTaskWithANodeLostException() throws Exception {
        Map<String, Double> result = ClusterWorkloads.run("failure", ClusterWorkloads.QUICK);
        for (String figure : new String[] {"kill_ms", "kill_min", "kill_max", "stop_ms", "stop_min", "stop_max"}) {
            assertTrue(result.get(figure) > 0, figure + " in " + result);
        }
    }
}

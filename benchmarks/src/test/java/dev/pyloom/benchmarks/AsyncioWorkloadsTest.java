package dev.pyloom.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The asyncio benchmark programs stay correct: every workload runs at a tiny size on both
 * strategies and in CPython, and both sides report the figures the table needs.
 */
class AsyncioWorkloadsTest {

    private static final Path SCRIPT = Path.of("python", "asyncio_bench.py");

    @ParameterizedTest
    @ValueSource(strings = {"tasks", "queue", "switch_event", "switch_future", "callsoon", "gather", "echo_local", "echo_remote"})
    void everyTimedJavaWorkloadReportsAPositiveFigureOnBothStrategies(String workload) throws Exception {
        for (String strategy : AsyncioSuite.STRATEGIES) {
            Map<String, Double> result = AsyncioWorkloads.run(workload + "/" + strategy, AsyncioWorkloads.QUICK);
            assertTrue(result.get("value") > 0, strategy + ": " + result);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"carrier", "handoff"})
    void theJavaSleepersReportWallTimeAndMemory(String strategy) throws Exception {
        Map<String, Double> result = AsyncioWorkloads.run("sleepers/" + strategy, AsyncioWorkloads.QUICK);
        assertTrue(result.get("wall_s") >= 1.0, "each task sleeps a whole second: " + result);
        assertTrue(result.get("rss_mb") > 0, result.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tasks", "sleepers", "queue", "switch_event", "switch_future", "callsoon", "gather", "echo_local", "echo_remote"})
    void everyPythonWorkloadRunsAndPrintsTheSameFormat(String workload) throws Exception {
        assumeTrue(pythonIsInstalled(), "python3 is not installed");
        Map<String, Double> python = SideBySide.runPython(SCRIPT, workload + "/carrier", true);
        Map<String, Double> java = AsyncioWorkloads.run(workload + "/handoff", AsyncioWorkloads.QUICK);
        assertEquals(java.keySet(), python.keySet(), "both sides report the same figures");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tasks/carrier", "sleepers/handoff"})
    void bothStrategiesOfAWorkloadShareOnePythonRun(String workload) {
        assertEquals(workload.substring(0, workload.indexOf('/')), new AsyncioSuite().pythonWorkload(workload));
    }

    @Test
    void theSleepersJvmAsksForCompactHeadersOnlyWhereTheJdkHasThem() {
        List<String> base = List.of("-XX:+UseSerialGC", "-Xmn16m", "-Djdk.trackAllThreads=false");
        assertEquals(base, AsyncioSuite.sleepersJvmOptions(21));
        assertEquals(List.of("-XX:+UseSerialGC", "-Xmn16m", "-XX:+UnlockExperimentalVMOptions",
                "-XX:+UseCompactObjectHeaders", "-Djdk.trackAllThreads=false"), AsyncioSuite.sleepersJvmOptions(24));
        assertEquals(List.of("-XX:+UseSerialGC", "-Xmn16m", "-XX:+UseCompactObjectHeaders",
                "-Djdk.trackAllThreads=false"), AsyncioSuite.sleepersJvmOptions(25));
    }

    private static boolean pythonIsInstalled() {
        try {
            return Files.exists(SCRIPT) && SideBySide.commandOutput(List.of("python3", "--version")).startsWith("Python 3");
        } catch (Exception e) {
            return false;
        }
    }
}

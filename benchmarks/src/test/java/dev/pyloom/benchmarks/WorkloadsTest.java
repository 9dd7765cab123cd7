package dev.pyloom.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The benchmark programs themselves stay correct: every workload runs, at a tiny size, on both
 * sides and reports the figures the table needs. (How fast is not asserted here; that is what
 * running the benchmarks is for.)
 */
class WorkloadsTest {

    private static final Path SCRIPT = Path.of("python", "threading_bench.py");

    @ParameterizedTest
    @ValueSource(strings = {"lock", "reentrantlock", "counter", "condition", "event", "startjoin"})
    void everyTimedJavaWorkloadReportsAPositiveFigure(String workload) throws Exception {
        Map<String, Double> result = ThreadingWorkloads.run(workload, ThreadingWorkloads.QUICK);
        assertTrue(result.get("value") > 0, result.toString());
    }

    @Test
    void theJavaSleepersReportWallTimeAndMemory() throws Exception {
        Map<String, Double> result = ThreadingWorkloads.run("sleepers", ThreadingWorkloads.QUICK);
        assertTrue(result.get("wall_s") >= 1.0, "each thread sleeps a whole second: " + result);
        assertTrue(result.get("rss_mb") > 0, result.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"lock", "counter", "condition", "event", "startjoin", "sleepers"})
    void everyPythonWorkloadRunsAndPrintsTheSameFormat(String workload) throws Exception {
        assumeTrue(pythonIsInstalled(), "python3 is not installed");
        Map<String, Double> result = SideBySide.runPython(SCRIPT, workload, true);
        Map<String, Double> java = ThreadingWorkloads.run(workload, ThreadingWorkloads.QUICK);
        assertEquals(java.keySet(), result.keySet(), "both sides report the same figures");
    }

    @ParameterizedTest
    @ValueSource(strings = {"roundtrip", "small", "megabytes", "queue1", "queue4", "queue-children"})
    void everyIpcWorkloadRunsWithChildJvmsAndReportsAPositiveFigure(String workload) throws Exception {
        Map<String, Double> result = IpcWorkloads.run(workload, IpcWorkloads.QUICK);
        assertTrue(result.get("value") > 0, result.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"roundtrip", "small", "megabytes", "queue1", "queue4", "queue-children"})
    void everyPythonIpcWorkloadRuns(String workload) throws Exception {
        assumeTrue(pythonIsInstalled(), "python3 is not installed");
        Map<String, Double> result = SideBySide.runPython(Path.of("python", "ipc_bench.py"), workload, true);
        assertTrue(result.get("value") > 0, result.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ready", "apply", "applyasync", "map", "speedup"})
    void everyMultiprocessingWorkloadRunsOnWorkerJvmsAndReportsWhatTheTableNeeds(String workload) throws Exception {
        Map<String, Double> result = MultiprocessingWorkloads.run(workload, MultiprocessingWorkloads.QUICK);
        for (Suite.Row row : new MultiprocessingSuite().rows()) {
            if (row.workload().equals(workload)) {
                assertTrue(result.get(row.pyloomKey()) > 0, row.pyloomKey() + " in " + result);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ready", "apply", "applyasync", "map", "speedup"})
    void everyPythonMultiprocessingWorkloadReportsForkAndSpawn(String workload) throws Exception {
        assumeTrue(pythonIsInstalled(), "python3 is not installed");
        Map<String, Double> result = SideBySide.runPython(Path.of("python", "mp_bench.py"), workload, true);
        for (Suite.Row row : new MultiprocessingSuite().rows()) {
            if (row.workload().equals(workload)) {
                assertTrue(result.get(row.key()) > 0, row.key() + " in " + result);
            }
        }
    }

    @Test
    void theOneShotScriptIsTimedAsAWholeProcessOnBothSides() throws Exception {
        assumeTrue(pythonIsInstalled(), "python3 is not installed (it times both sides)");
        Map<String, Double> java = MultiprocessingWorkloads.run("oneshot", MultiprocessingWorkloads.QUICK);
        Map<String, Double> python = SideBySide.runPython(Path.of("python", "mp_bench.py"), "oneshot", true);
        for (Suite.Row row : new MultiprocessingSuite().rows()) {
            if (row.workload().equals("oneshot")) {
                assertTrue(java.get(row.pyloomKey()) > 0, row.pyloomKey() + " in " + java);
                assertTrue(python.get(row.key()) > 0, row.key() + " in " + python);
            }
        }
    }

    @Test
    void aWorkersStartIsTimedPhaseByPhase() throws Exception {
        Map<String, Double> phases = WorkerStart.measure(1);
        for (String phase : List.of("bare_ms", "connected_ms", "hello_ms", "answered_ms", "exit_ms", "connected_ms_nocds")) {
            assertTrue(phases.get(phase) > 0, phase + " in " + phases);
        }
        assertTrue(phases.get("connected_ms") <= phases.get("hello_ms") && phases.get("hello_ms") <= phases.get("answered_ms"),
                "the phases come in order: " + phases);
    }

    @Test
    void keyValuesRoundTrip() {
        Map<String, Double> values = KeyValues.parse(KeyValues.format(Map.of("wall_s", 1.25)));
        assertEquals(Map.of("wall_s", 1.25), values);
    }

    @Test
    void theTableLinesUpItsColumns() {
        SideBySide.Table table = new SideBySide.Table("a", "bb");
        table.add("ccc", "d");
        List<String> lines = table.toString().lines().toList();
        assertEquals(List.of("| a   | bb |", "| --- | -- |", "| ccc | d  |"), lines);
    }

    private static boolean pythonIsInstalled() {
        try {
            return Files.exists(SCRIPT) && SideBySide.commandOutput(List.of("python3", "--version")).startsWith("Python 3");
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void aSuitesSectionOfTheReadmeIsAddedThenReplacedLeavingTheOthers() {
        String text = Readme.withSection(Readme.INTRO, "ipc", "| a | 1 |");
        text = Readme.withSection(text, "threading", "| b | 2 |");
        text = Readme.withSection(text, "ipc", "| a | 3 |");
        assertTrue(text.startsWith(Readme.INTRO.strip()), text);
        assertTrue(text.contains("## ipc\n\n| a | 3 |\n"), text);
        assertTrue(!text.contains("| a | 1 |"), text);
        assertTrue(text.contains("## threading\n\n| b | 2 |\n"), text);
        assertEquals(1, text.split("<!-- suite:ipc -->", -1).length - 1, text);
    }

    @Test
    void aModuleReadmesMarkedTableIsReplacedAndTheRestKept(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path readme = dir.resolve("README.md");
        Files.writeString(readme, "# m\n\nbefore\n<!-- bench:phases -->\n| old | 1 |\n<!-- /bench:phases -->\nafter\n");
        Readme.updateMarked(readme, "phases", "| new | 2 |\n");
        assertEquals("# m\n\nbefore\n<!-- bench:phases -->\n| new | 2 |\n<!-- /bench:phases -->\nafter\n", Files.readString(readme));
        Files.writeString(readme, "no markers\n");
        Readme.updateMarked(readme, "phases", "| new | 2 |");
        assertEquals("no markers\n", Files.readString(readme));
    }
}

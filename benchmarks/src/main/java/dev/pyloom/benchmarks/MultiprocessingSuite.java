package dev.pyloom.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The multiprocessing module against CPython's {@code multiprocessing.Pool}, started with
 * {@code fork} and with {@code spawn}; see {@link MultiprocessingWorkloads}.
 */
final class MultiprocessingSuite implements Suite {

    @Override
    public String name() {
        return "multiprocessing";
    }

    @Override
    public String pythonScript() {
        return "mp_bench.py";
    }

    @Override
    public Class<?> javaMain() {
        return MultiprocessingWorkloads.class;
    }

    @Override
    public List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (String method : List.of("fork", "spawn")) {
            String vs = " (CPython " + method + ")";
            rows.add(new Row("ready", method + "_value", "value", "Pool(4) ready: all four workers running a task" + vs, "ms", Better.LOWER));
            rows.add(new Row("apply", method + "_p50", "p50", "apply round trip, p50" + vs, "us", Better.LOWER));
            rows.add(new Row("apply", method + "_p99", "p99", "apply round trip, p99" + vs, "us", Better.LOWER));
            rows.add(new Row("applyasync", method + "_value", "value", "applyAsync + callback, 20,000 trivial tasks, warm pool" + vs, "tasks/s", Better.HIGHER));
            rows.add(new Row("applyasync", method + "_cold", "cold", "applyAsync + callback, 20,000 trivial tasks, new pool" + vs, "tasks/s", Better.HIGHER));
            rows.add(new Row("map", method + "_value", "value", "map of 100,000 trivial items, default chunks, warm pool" + vs, "ms", Better.LOWER));
            rows.add(new Row("map", method + "_cold", "cold", "map of 100,000 trivial items, default chunks, new pool" + vs, "ms", Better.LOWER));
            rows.add(new Row("speedup", method + "_value", "value", "8 CPU-bound tasks on Pool(2): speed-up over serial" + vs, "x", Better.HIGHER));
            rows.add(new Row("oneshot", method + "_wall", "wall", "one-shot script (Pool(4), map of 100,000 squares, exit), wall" + vs, "s", Better.LOWER));
            rows.add(new Row("oneshot", method + "_cpu", "cpu", "the same, CPU time of every process" + vs, "s", Better.LOWER));
            rows.add(new Row("oneshot", method + "_rss", "rss", "the same, largest resident set of one process" + vs, "MiB", Better.LOWER));
        }
        return rows;
    }

    @Override
    public List<String> notes(List<String> workloads) {
        return List.of("\"warm pool\": the pool has run the same work many times over before the clock starts (a worker"
                + " JVM's JIT compiler needs it; CPython's interpreter does not), on both sides. \"new pool\": each of its"
                + " four workers has started and run a task. pyloom's workers run from jars, with a class-data archive recorded by"
                + " the first pool's first worker.");
    }

    /**
     * What the class-data archive saves: the same start-up without it; and, with the one-shot
     * script, where a worker's start goes ({@link WorkerStart}).
     */
    @Override
    public void printExtras(SideBySide runner, List<String> workloads, Map<String, Map<String, Double>> pyloom)
            throws Exception {
        if (workloads.contains("oneshot")) {
            String phases = workerStart(runner.runMain(WorkerStart.class));
            System.out.printf(Locale.ROOT, "%nA worker's start, one worker on an idle machine, from its launch (ms; medians)%n%n");
            System.out.print(phases);
            runner.updateModuleReadme("multiprocessing", "worker-start", phases);
        }
        if (!workloads.contains("ready")) {
            return;
        }
        double without = runner.runJava(this, "ready", List.of("-Dpyloom.multiprocessing.cds=false")).get("value");
        double with = pyloom.get("ready").get("value");
        System.out.printf(Locale.ROOT, "%nPool(4) ready without the worker class-data archive: %.0f ms (with it: %.0f ms)%n",
                without, with);
    }

    /** The phases of a worker's start, as a table. */
    private static String workerStart(Map<String, Double> f) {
        SideBySide.Table table = new SideBySide.Table("phase", "with the class-data archive", "without");
        table.add("a bare JVM prints a line and exits (the floor)", SideBySide.number(f.get("bare_ms")), "");
        table.add("connected: JVM started, bootstrap read, connection authenticated",
                SideBySide.number(f.get("connected_ms")), SideBySide.number(f.get("connected_ms_nocds")));
        table.add("said hello", SideBySide.number(f.get("hello_ms")), SideBySide.number(f.get("hello_ms_nocds")));
        table.add("answered its first job (a map chunk of 3 ints)", SideBySide.number(f.get("answered_ms")),
                SideBySide.number(f.get("answered_ms_nocds")));
        table.add("CPU time by then, every thread", SideBySide.number(f.get("cpu_ms")), SideBySide.number(f.get("cpu_ms_nocds")));
        table.add("resident memory then (MiB)", SideBySide.number(f.get("rss_mib")), SideBySide.number(f.get("rss_mib_nocds")));
        table.add("told to stop: exited", SideBySide.number(f.get("exit_ms")), SideBySide.number(f.get("exit_ms_nocds")));
        return table.toString();
    }
}

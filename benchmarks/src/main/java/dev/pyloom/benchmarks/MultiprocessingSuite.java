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
        }
        return rows;
    }

    @Override
    public List<String> notes(List<String> workloads) {
        return List.of("\"warm pool\": the pool has run the same work many times over before the clock starts (a worker"
                + " JVM's JIT compiler needs it; CPython's interpreter does not), on both sides. \"new pool\": its workers"
                + " have started and run one task. pyloom's workers run from jars, with a class-data archive recorded by"
                + " the first pool's first worker.");
    }

    /** What the class-data archive saves: the same start-up without it. */
    @Override
    public void printExtras(SideBySide runner, List<String> workloads, Map<String, Map<String, Double>> pyloom)
            throws Exception {
        if (!workloads.contains("ready")) {
            return;
        }
        double without = runner.runJava(this, "ready", List.of("-Dpyloom.multiprocessing.cds=false")).get("value");
        double with = pyloom.get("ready").get("value");
        System.out.printf(Locale.ROOT, "%nPool(4) ready without the worker class-data archive: %.0f ms (with it: %.0f ms)%n",
                without, with);
    }
}

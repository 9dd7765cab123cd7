package dev.pyloom.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * The asyncio module against CPython's {@code asyncio}; see {@link AsyncioWorkloads}. Every
 * workload runs once per event-loop strategy ({@code WORKLOAD/carrier}, {@code WORKLOAD/handoff}),
 * each in its own JVM, against one CPython run.
 */
final class AsyncioSuite implements Suite {

    static final List<String> STRATEGIES = List.of("carrier", "handoff");

    /** What the carrier strategy needs; the handoff strategy is forced by the workload's name. */
    static final String OPEN_JAVA_LANG = "--add-opens=java.base/java.lang=ALL-UNNAMED";

    /**
     * For the million sleepers: a small young generation with the serial collector keeps the
     * heap close to the live set; compact object headers take 4 bytes off every object, of which
     * a sleeping task has nine (a product option since JDK 25, experimental in 24, absent
     * before); and the JDK's registry of every virtual thread (kept for thread dumps) is switched
     * off, as a server that does not take virtual-thread dumps may do. The sleepers' JVM is the
     * one running this suite.
     */
    static final List<String> SLEEPERS_JVM_OPTIONS = sleepersJvmOptions(Runtime.version().feature());

    static List<String> sleepersJvmOptions(int jdk) {
        List<String> options = new ArrayList<>(List.of("-XX:+UseSerialGC", "-Xmn16m"));
        if (jdk == 24) {
            options.add("-XX:+UnlockExperimentalVMOptions");
        }
        if (jdk >= 24) {
            options.add("-XX:+UseCompactObjectHeaders");
        }
        options.add("-Djdk.trackAllThreads=false");
        return List.copyOf(options);
    }

    @Override
    public String name() {
        return "asyncio";
    }

    @Override
    public String pythonScript() {
        return "asyncio_bench.py";
    }

    @Override
    public Class<?> javaMain() {
        return AsyncioWorkloads.class;
    }

    @Override
    public List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (String strategy : STRATEGIES) {
            String s = ", " + strategy;
            rows.add(new Row("tasks/" + strategy, "value", "create + await 100,000 tasks that sleep(0), per task" + s, "us"));
            rows.add(new Row("sleepers/" + strategy, "wall_s", "1,000,000 tasks sleeping 1 s: wall time" + s, "s"));
            rows.add(new Row("sleepers/" + strategy, "rss_mb", "1,000,000 tasks sleeping 1 s: peak RSS" + s, "MiB"));
            rows.add(new Row("queue/" + strategy, "value", "10^6 items through a Queue(1000), producer to consumer" + s, "ms"));
            rows.add(new Row("switch_event/" + strategy, "value", "coroutine switch, Event ping-pong" + s, "ns"));
            rows.add(new Row("switch_future/" + strategy, "value", "coroutine switch, Future ping-pong" + s, "ns"));
            rows.add(new Row("callsoon/" + strategy, "value", "callSoon throughput" + s, "callbacks/s", Better.HIGHER));
            rows.add(new Row("gather/" + strategy, "value", "gather 10,000 coroutines" + s, "ms"));
            rows.add(new Row("echo_local/" + strategy, "value",
                    "TCP echo, 100 clients x 1,000 round trips, server on the same loop" + s, "round trips/s", Better.HIGHER));
            rows.add(new Row("echo_remote/" + strategy, "value",
                    "TCP echo, 100 clients x 1,000 round trips, server in a child process" + s, "round trips/s", Better.HIGHER));
        }
        return rows;
    }

    /** Both strategies' rows compare against the same CPython run. */
    @Override
    public String pythonWorkload(String workload) {
        return workload.substring(0, workload.indexOf('/'));
    }

    @Override
    public List<String> jvmOptions(String workload) {
        List<String> options = new ArrayList<>();
        if (workload.endsWith("/carrier")) {
            options.add(OPEN_JAVA_LANG);
        }
        if (workload.startsWith("sleepers/")) {
            options.addAll(SLEEPERS_JVM_OPTIONS);
        }
        return options;
    }

    @Override
    public List<String> notes(List<String> workloads) {
        List<String> notes = new ArrayList<>();
        notes.add("carrier: coroutines are virtual threads whose scheduler is the loop (JVM run with "
                + OPEN_JAVA_LANG + "); handoff: ordinary virtual threads passing the loop's turn (no flags).");
        if (workloads.stream().anyMatch(w -> w.startsWith("sleepers/"))) {
            notes.add("The sleepers' JVM ran with: " + String.join(" ", SLEEPERS_JVM_OPTIONS)
                    + "; it warms up first with " + AsyncioWorkloads.SLEEPERS_WARMUP_ROUNDS
                    + " rounds of a two-hundredth as many tasks, sleeping 10 ms.");
        }
        return notes;
    }
}

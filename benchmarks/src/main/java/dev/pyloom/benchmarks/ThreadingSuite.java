package dev.pyloom.benchmarks;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The threading module against CPython's {@code threading}; see {@link ThreadingWorkloads}. */
final class ThreadingSuite implements Suite {

    static final List<String> SLEEPERS_JVM_OPTIONS =
            List.of("-XX:+UseSerialGC", "-Xms8m", "-Xmx64m", "-XX:TieredStopAtLevel=1", "-Xshare:off");

    @Override
    public String name() {
        return "threading";
    }

    @Override
    public String pythonScript() {
        return "threading_bench.py";
    }

    @Override
    public Class<?> javaMain() {
        return ThreadingWorkloads.class;
    }

    @Override
    public List<Row> rows() {
        return List.of(
                new Row("lock", "value", "uncontended Lock acquire + release", "ns"),
                new Row("counter", "value", "4 threads, Lock-guarded counter, 10^6 increments", "ms"),
                new Row("condition", "value", "Condition ping-pong, per round trip", "us"),
                new Row("event", "value", "Event set/wait ping-pong, per round trip", "us"),
                new Row("startjoin", "value", "start + join 1,000 threads", "ms"),
                new Row("sleepers", "wall_s", "10,000 threads sleeping 1 s: wall time", "s"),
                new Row("sleepers", "beyond_s", "10,000 threads sleeping 1 s: time beyond the 1 s", "s"),
                new Row("sleepers", "rss_mb", "10,000 threads sleeping 1 s: peak RSS", "MiB"));
    }

    /**
     * The defaults, except for the memory workload, which runs the way a Java user who cares
     * about footprint would run it: a small heap with the serial collector, only the quick
     * compiler, and no class-data-sharing archive (mapping it costs about 6 MiB of resident
     * memory, to save start-up time).
     */
    @Override
    public List<String> jvmOptions(String workload) {
        return workload.equals("sleepers") ? SLEEPERS_JVM_OPTIONS : List.of();
    }

    @Override
    public List<String> notes(List<String> workloads) {
        return workloads.contains("sleepers")
                ? List.of("The memory workload's JVM ran with: " + String.join(" ", SLEEPERS_JVM_OPTIONS))
                : List.of();
    }

    /** pyloom's Lock against the JDK's floor, ReentrantLock, measured the same way. */
    @Override
    public void printExtras(SideBySide runner, List<String> workloads, Map<String, Map<String, Double>> pyloom)
            throws Exception {
        if (!workloads.contains("lock")) {
            return;
        }
        double floorNs = runner.runJava(this, "reentrantlock").get("value");
        double lockNs = pyloom.get("lock").get("value");
        System.out.printf("%npyloom against the JDK floor%n%n");
        SideBySide.Table vsJdk = new SideBySide.Table("workload", "unit", "ReentrantLock", "pyloom Lock", "pyloom / floor");
        vsJdk.add("uncontended acquire + release", "ns", SideBySide.number(floorNs), SideBySide.number(lockNs),
                String.format(Locale.ROOT, "%.2fx the time", lockNs / floorNs));
        System.out.print(vsJdk);
    }
}

package dev.pyloom.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the same workloads in CPython and in pyloom, each in a fresh process, and prints one
 * table: workload, CPython's figure, pyloom's, and their ratio.
 *
 * <pre>
 * ./mvnw -q -pl benchmarks -am -DskipTests package exec:exec                       # everything
 * ./mvnw -q -pl benchmarks -am -DskipTests package exec:exec -Dbench.args="lock counter"
 * </pre>
 *
 * <p>Only ratios from one run mean anything on a shared machine: both sides run back to back
 * here, on the same cores, under the same load.
 */
public final class SideBySide {

    private SideBySide() {}


    /** One row of the table: which workload, which of its figures, and how to label it. */
    record Row(String workload, String key, String title, String unit) {}

    static final List<Row> THREADING = List.of(
            new Row("lock", "value", "uncontended Lock acquire + release", "ns"),
            new Row("counter", "value", "4 threads, Lock-guarded counter, 10^6 increments", "ms"),
            new Row("condition", "value", "Condition ping-pong, per round trip", "us"),
            new Row("event", "value", "Event set/wait ping-pong, per round trip", "us"),
            new Row("startjoin", "value", "start + join 1,000 threads", "ms"),
            new Row("sleepers", "wall_s", "10,000 threads sleeping 1 s: wall time", "s"),
            new Row("sleepers", "beyond_s", "10,000 threads sleeping 1 s: time beyond the 1 s", "s"),
            new Row("sleepers", "rss_mb", "10,000 threads sleeping 1 s: peak RSS", "MiB"));

    /**
     * JVM options for the pyloom side of each workload: the defaults, except for the memory
     * workload, which runs the way a Java user who cares about footprint would run it: a small
     * heap with the serial collector, only the quick compiler, and no class-data-sharing archive
     * (mapping it costs about 6 MiB of resident memory, to save start-up time). The options are
     * printed under the table.
     */
    static List<String> jvmOptions(String workload) {
        return workload.equals("sleepers")
                ? List.of("-XX:+UseSerialGC", "-Xms8m", "-Xmx64m", "-XX:TieredStopAtLevel=1", "-Xshare:off")
                : List.of();
    }

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        List<String> wanted = List.of(args).stream().filter(a -> !a.startsWith("--")).toList();
        Path scripts = Path.of(System.getProperty("pyloom.bench.python", "python"));

        List<String> workloads = THREADING.stream().map(Row::workload).distinct()
                .filter(w -> wanted.isEmpty() || wanted.contains(w)).toList();
        if (workloads.isEmpty()) {
            System.err.println("no such workload: " + wanted + "; known: "
                    + THREADING.stream().map(Row::workload).distinct().toList());
            System.exit(2);
        }

        Map<String, Map<String, Double>> cpython = new java.util.HashMap<>();
        Map<String, Map<String, Double>> pyloom = new java.util.HashMap<>();
        for (String workload : workloads) {
            System.err.printf("running %s: CPython...", workload);
            cpython.put(workload, runPython(scripts.resolve("threading_bench.py"), workload, quick));
            System.err.print(" pyloom...");
            pyloom.put(workload, runJava(ThreadingWorkloads.class, workload, quick));
            System.err.println(" done");
        }
        boolean floor = wanted.isEmpty() || wanted.contains("lock");
        Map<String, Double> reentrant = floor ? runJava(ThreadingWorkloads.class, "reentrantlock", quick) : null;

        String python = commandOutput(List.of(pythonBinary(), "--version")).trim();
        System.out.printf("%nSide by side, one run: %s vs pyloom on Java %s, %d cores%s%n%n",
                python, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                quick ? " (QUICK: sizes too small to mean anything)" : "");
        Table table = new Table("workload", "unit", "CPython", "pyloom", "pyloom vs CPython");
        for (Row row : THREADING) {
            if (!workloads.contains(row.workload())) {
                continue;
            }
            double theirs = cpython.get(row.workload()).get(row.key());
            double ours = pyloom.get(row.workload()).get(row.key());
            table.add(row.title(), row.unit(), number(theirs), number(ours), ratio(theirs, ours, row.unit()));
        }
        System.out.print(table);
        if (workloads.contains("sleepers")) {
            System.out.printf("%nThe memory workload's JVM ran with: %s%n", String.join(" ", jvmOptions("sleepers")));
        }
        if (reentrant != null) {
            double floorNs = reentrant.get("value");
            double lockNs = pyloom.get("lock").get("value");
            System.out.printf("%npyloom against the JDK floor%n%n");
            Table vsJdk = new Table("workload", "unit", "ReentrantLock", "pyloom Lock", "pyloom / floor");
            vsJdk.add("uncontended acquire + release", "ns", number(floorNs), number(lockNs),
                    String.format(Locale.ROOT, "%.2fx the time", lockNs / floorNs));
            System.out.print(vsJdk);
        }
    }

    static String ratio(double cpython, double pyloom, String unit) {
        if (unit.equals("MiB")) {
            return String.format(Locale.ROOT, "%.2fx the memory", pyloom / cpython);
        }
        return String.format(Locale.ROOT, "%.1fx faster", cpython / pyloom);
    }

    static String number(double value) {
        return value >= 100 ? String.format(Locale.ROOT, "%.0f", value)
                : value >= 10 ? String.format(Locale.ROOT, "%.1f", value)
                : String.format(Locale.ROOT, "%.2f", value);
    }

    static String pythonBinary() {
        return System.getProperty("pyloom.bench.python.binary", "python3");
    }

    static Map<String, Double> runPython(Path script, String workload, boolean quick) throws Exception {
        List<String> command = new ArrayList<>(List.of(pythonBinary(), script.toString(), workload));
        if (quick) {
            command.add("--quick");
        }
        return KeyValues.parse(lastLine(commandOutput(command)));
    }

    static Map<String, Double> runJava(Class<?> main, String workload, boolean quick) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmOptions(workload));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName(), workload));
        if (quick) {
            command.add("--quick");
        }
        return KeyValues.parse(lastLine(commandOutput(command)));
    }

    /** Runs a command to completion (killing it if it overstays) and returns its stdout. */
    static String commandOutput(List<String> command) throws IOException, InterruptedException {
        Path stdout = Files.createTempFile("pyloom-bench", ".out");
        Process process = new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                throw new IOException("still running after 10 minutes: " + command);
            }
            String output = Files.readString(stdout, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IOException("exit code " + process.exitValue() + " from " + command + ":\n" + output);
            }
            return output;
        } finally {
            process.destroyForcibly();
            process.waitFor();
            Files.deleteIfExists(stdout);
        }
    }

    private static String lastLine(String output) {
        List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) {
            throw new IllegalStateException("the workload printed nothing");
        }
        return lines.get(lines.size() - 1);
    }

    /** A Markdown table, columns padded to line up in a terminal too. */
    static final class Table {
        private final List<String[]> rows = new ArrayList<>();

        Table(String... header) {
            rows.add(header);
        }

        void add(String... cells) {
            rows.add(cells);
        }

        @Override
        public String toString() {
            int columns = rows.get(0).length;
            int[] width = new int[columns];
            for (String[] row : rows) {
                for (int c = 0; c < columns; c++) {
                    width[c] = Math.max(width[c], row[c].length());
                }
            }
            StringBuilder out = new StringBuilder();
            for (int r = 0; r < rows.size(); r++) {
                appendRow(out, rows.get(r), width);
                if (r == 0) {
                    String[] rule = new String[columns];
                    for (int c = 0; c < columns; c++) {
                        rule[c] = "-".repeat(width[c]);
                    }
                    appendRow(out, rule, width);
                }
            }
            return out.toString();
        }

        private static void appendRow(StringBuilder out, String[] cells, int[] width) {
            out.append('|');
            for (int c = 0; c < cells.length; c++) {
                out.append(' ').append(String.format("%-" + width[c] + "s", cells[c])).append(" |");
            }
            out.append('\n');
        }
    }
}

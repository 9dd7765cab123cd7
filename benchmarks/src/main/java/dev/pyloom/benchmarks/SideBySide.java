package dev.pyloom.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the same workloads in CPython and in pyloom, each in a fresh process, and prints one
 * table: workload, CPython's figure, pyloom's, and their ratio. A suite with a baseline of its
 * own ({@link Suite#baseline()}: the cluster suite's local {@code Pool}) runs no Python; its
 * table compares the two sides its Java workload measured.
 *
 * <pre>
 * ./mvnw -q -pl benchmarks -am -DskipTests package exec:exec                        # everything
 * ./mvnw -q -pl benchmarks -am -DskipTests package exec:exec -Dbench.args=threading  # one suite
 * ./mvnw -q -pl benchmarks -am -DskipTests package exec:exec -Dbench.args="lock counter"
 * ./mvnw -q -pl benchmarks -am -DskipTests package exec:exec -Dbench.args=cluster    # ClusterPool vs Pool
 * </pre>
 *
 * <p>Only ratios from one run mean anything on a shared machine: both sides run back to back
 * here, on the same cores, under the same load. A full run of a suite (not {@code --quick}, not a
 * choice of its workloads) also rewrites that suite's section of the file named by
 * {@code -Dpyloom.bench.readme} ({@code benchmarks/README.md} under {@code exec:exec}).
 */
public final class SideBySide {

    /** Every suite, in the order they run when none is named. */
    static final List<Suite> SUITES = List.of(new ThreadingSuite(), new IpcSuite(), new MultiprocessingSuite(),
            new AsyncioSuite(), new ClusterSuite());

    private final boolean quick;
    private final Path scripts;

    SideBySide(boolean quick, Path scripts) {
        this.quick = quick;
        this.scripts = scripts;
    }

    /**
     * Arguments: suite names and workload names, in any order, and {@code --quick} (tiny sizes,
     * to check that everything runs). No suite named means every suite; no workload named means
     * every workload of the chosen suites.
     */
    public static void main(String[] args) throws Exception {
        List<String> words = List.of(args).stream().filter(a -> !a.startsWith("--")).toList();
        List<Suite> suites = SUITES.stream().filter(s -> words.contains(s.name())).toList();
        if (suites.isEmpty()) {
            suites = SUITES;
        }
        List<String> wanted = words.stream().filter(w -> SUITES.stream().noneMatch(s -> s.name().equals(w))).toList();
        SideBySide runner = new SideBySide(List.of(args).contains("--quick"),
                Path.of(System.getProperty("pyloom.bench.python", "python")));

        String pyloomSide = String.format(Locale.ROOT, "pyloom on Java %s, %d cores",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        String pythonSide = suites.stream().anyMatch(s -> s.baseline().equals(Suite.CPYTHON))
                ? commandOutput(List.of(pythonBinary(), "--version")).trim() + " vs " : "";
        System.out.printf("%nSide by side, one run: %s%s%s%n", pythonSide, pyloomSide,
                runner.quick ? " (QUICK: sizes too small to mean anything)" : "");
        String readme = System.getProperty("pyloom.bench.readme");
        boolean ranAny = false;
        for (Suite suite : suites) {
            List<String> workloads = suite.workloads().stream()
                    .filter(w -> wanted.isEmpty() || wanted.contains(w)).toList();
            if (!workloads.isEmpty()) {
                String report = runner.run(suite, workloads);
                ranAny = true;
                if (readme != null && !runner.quick && workloads.equals(suite.workloads())) {
                    String setting = (suite.baseline().equals(Suite.CPYTHON) ? pythonSide : "") + pyloomSide;
                    Readme.update(Path.of(readme), suite.name(), "One run, " + java.time.LocalDate.now()
                            + ": " + setting + ".\n\n" + report);
                }
            }
        }
        if (!ranAny) {
            System.err.println("no such workload: " + wanted + "; known: "
                    + SUITES.stream().map(s -> s.name() + " " + s.workloads()).toList());
            System.exit(2);
        }
    }

    /**
     * Puts a table this run measured into a module's README, in its {@code bench:NAME} section
     * (see {@link Readme#updateMarked}), when the run writes READMEs at all and is not quick.
     */
    void updateModuleReadme(String module, String name, String table) throws IOException {
        String readme = System.getProperty("pyloom.bench.readme");
        if (readme != null && !quick) {
            Path root = Path.of(readme).toAbsolutePath().getParent().getParent();
            Readme.updateMarked(root.resolve(module).resolve("README.md"), name, table);
        }
    }

    /** Runs one suite's workloads on both sides, prints its table, notes and extras, and returns what it printed. */
    String run(Suite suite, List<String> workloads) throws Exception {
        Map<String, Map<String, Double>> baseline = new HashMap<>();
        Map<String, Map<String, Double>> pyloom = new HashMap<>();
        Map<String, Map<String, Double>> pythonRuns = new HashMap<>();
        boolean againstPython = suite.baseline().equals(Suite.CPYTHON);
        for (String workload : workloads) {
            System.err.printf("running %s %s:", suite.name(), workload);
            if (againstPython) {
                System.err.print(" CPython...");
                String pythonWorkload = suite.pythonWorkload(workload);
                if (!pythonRuns.containsKey(pythonWorkload)) {
                    pythonRuns.put(pythonWorkload, runPython(scripts.resolve(suite.pythonScript()), pythonWorkload, quick));
                }
                baseline.put(workload, pythonRuns.get(pythonWorkload));
            }
            System.err.print(" pyloom...");
            pyloom.put(workload, runJava(suite, workload));
            if (!againstPython) {
                baseline.put(workload, pyloom.get(workload)); // the baseline's figures come with the measured side's
            }
            System.err.println(" done");
        }
        System.out.printf("%n%s%n%n", suite.name());
        PrintStream console = System.out;
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        System.setOut(new PrintStream(new Tee(console, report), true, StandardCharsets.UTF_8));
        try {
            Table table = new Table("workload", "unit", suite.baseline(), suite.measured(),
                    suite.measured() + " vs " + suite.baseline());
            for (Suite.Row row : suite.rows()) {
                if (workloads.contains(row.workload())) {
                    double theirs = baseline.get(row.workload()).get(row.key());
                    double ours = pyloom.get(row.workload()).get(row.pyloomKey());
                    table.add(row.title(), row.unit(), number(theirs), number(ours), ratio(theirs, ours, row));
                }
            }
            System.out.print(table);
            for (String note : suite.notes(workloads)) {
                System.out.printf("%n%s%n", note);
            }
            suite.printExtras(this, workloads, pyloom);
        } finally {
            System.out.flush();
            System.setOut(console);
        }
        return report.toString(StandardCharsets.UTF_8);
    }

    /** Writes what it is given to two streams: the console, and the report kept for the README. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            first.write(bytes, offset, length);
            second.write(bytes, offset, length);
        }

        @Override
        public void flush() throws IOException {
            first.flush();
            second.flush();
        }
    }

    static String ratio(double cpython, double pyloom, Suite.Row row) {
        if (row.better() == Suite.Better.HIGHER) {
            return String.format(Locale.ROOT, "%.2fx the rate", pyloom / cpython);
        }
        if (row.unit().equals("MiB")) {
            return String.format(Locale.ROOT, "%.2fx the memory", pyloom / cpython);
        }
        return cpython >= pyloom
                ? String.format(Locale.ROOT, "%.1fx faster", cpython / pyloom)
                : String.format(Locale.ROOT, "%.1fx slower", pyloom / cpython);
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

    Map<String, Double> runJava(Suite suite, String workload) throws Exception {
        return runJava(suite, workload, List.of());
    }

    /** Runs one workload's pyloom side with {@code extraOptions} after the suite's JVM options. */
    Map<String, Double> runJava(Suite suite, String workload, List<String> extraOptions) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(suite.jvmOptions(workload));
        command.addAll(extraOptions);
        command.addAll(List.of("-Dpyloom.bench.python=" + scripts, "-Dpyloom.bench.python.binary=" + pythonBinary()));
        command.addAll(List.of("-cp", packagedClassPath(), suite.javaMain().getName(), workload));
        if (quick) {
            command.add("--quick");
        }
        return KeyValues.parse(lastLine(commandOutput(command)));
    }

    /** Runs another main class of this module in a fresh JVM, from jars, and reads its figures. */
    Map<String, Double> runMain(Class<?> main) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", packagedClassPath(), main.getName()));
        if (quick) {
            command.add("--quick");
        }
        return KeyValues.parse(lastLine(commandOutput(command)));
    }

    /**
     * This JVM's class path with each build directory ({@code target/classes}) replaced by the
     * jar built from it, when there is one: programs run from jars, as users' programs do (and
     * only jars can be put in a class-data archive).
     */
    static String packagedClassPath() throws IOException {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            Path jar = null;
            if (Files.isDirectory(path) && path.getFileName().toString().equals("classes") && path.getParent() != null) {
                try (var candidates = Files.list(path.getParent())) {
                    jar = candidates.filter(p -> p.toString().endsWith(".jar"))
                            .filter(p -> !p.getFileName().toString().matches(".*-(sources|javadoc|tests)\\.jar"))
                            .findFirst().orElse(null);
                }
            }
            entries.add(jar != null ? jar.toString() : entry);
        }
        return String.join(File.pathSeparator, entries);
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

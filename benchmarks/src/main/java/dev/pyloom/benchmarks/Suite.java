package dev.pyloom.benchmarks;

import java.util.List;
import java.util.Map;

/**
 * One module's side-by-side workloads: a Python script and a Java main class that run the same
 * workload by name and print the same {@code key=value} figures, and the table rows built from
 * them. {@link SideBySide} runs every suite it is asked for.
 *
 * <p>A suite may compare pyloom with pyloom instead (a {@code ClusterPool} with a local
 * {@code Pool}): it names another {@link #baseline()}, and its Java workload measures both
 * sides, in one JVM, back to back.
 */
interface Suite {

    /** The baseline of every suite that does not name another: CPython, running {@link #pythonScript()}. */
    String CPYTHON = "CPython";

    /** Whether a smaller or a bigger figure is better, which decides how the ratio reads. */
    enum Better {
        /** Times and memory: the ratio is CPython / pyloom, "x faster". */
        LOWER,
        /** Rates: the ratio is pyloom / CPython, "x the rate". */
        HIGHER
    }

    /**
     * One row of the table: which workload, which of its figures on each side (the same key,
     * unless CPython reports several variants of one figure), and how to label it.
     */
    record Row(String workload, String key, String pyloomKey, String title, String unit, Better better) {
        Row(String workload, String key, String title, String unit, Better better) {
            this(workload, key, key, title, unit, better);
        }

        Row(String workload, String key, String title, String unit) {
            this(workload, key, key, title, unit, Better.LOWER);
        }
    }

    /** The suite's name, as given on the command line: {@code threading}, {@code ipc}, ... */
    String name();

    /**
     * The CPython side: a script in {@code benchmarks/python}, run as {@code script WORKLOAD [--quick]}.
     * Never asked of a suite whose {@link #baseline()} is not {@link #CPYTHON}.
     */
    String pythonScript();

    /**
     * What the figures are compared with, the table's first column of figures: {@link #CPYTHON} by
     * default. Any other baseline is measured by the suite's own Java workload, which reports its
     * figure under {@link Row#key()} beside the measured side's under {@link Row#pyloomKey()}.
     */
    default String baseline() {
        return CPYTHON;
    }

    /** What is measured, the table's second column of figures: {@code pyloom} by default. */
    default String measured() {
        return "pyloom";
    }

    /** The pyloom side: a main class run as {@code main WORKLOAD [--quick]} in a fresh JVM. */
    Class<?> javaMain();

    List<Row> rows();

    /**
     * The workload name the Python script runs for {@code workload}; the same name by default.
     * Workloads that map to one Python workload (the same work under several pyloom settings)
     * share a single CPython run.
     */
    default String pythonWorkload(String workload) {
        return workload;
    }

    /** JVM options for the pyloom side of one workload; none by default. */
    default List<String> jvmOptions(String workload) {
        return List.of();
    }

    /** Sentences printed under the suite's table (options used, what a figure means). */
    default List<String> notes(List<String> workloads) {
        return List.of();
    }

    /** Anything a suite prints after its table, given both sides' results by workload. */
    default void printExtras(SideBySide runner, List<String> workloads, Map<String, Map<String, Double>> pyloom)
            throws Exception {}

    /** The distinct workloads, in table order. */
    default List<String> workloads() {
        return rows().stream().map(Row::workload).distinct().toList();
    }
}

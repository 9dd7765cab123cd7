package dev.pyloom.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code benchmarks/README.md}, where the runner keeps the latest full run of each suite: one
 * section per suite between {@code <!-- suite:NAME -->} and {@code <!-- /suite:NAME -->},
 * replaced whole by the next full run of that suite and left alone by runs of other suites.
 */
final class Readme {

    static final String INTRO = """
            # pyloom benchmarks

            Side-by-side runs of the same workloads in CPython and in pyloom, each in a fresh
            process, on the same machine, one after the other. Only the ratios of one run mean
            anything: on a shared machine a figure moves by ±20 % from run to run.

            ```
            ./mvnw -q -pl benchmarks -am -DskipTests package exec:exec                    # every suite
            ./mvnw -q -pl benchmarks -am -DskipTests package exec:exec -Dbench.args=ipc   # one suite
            ```

            The cluster suite compares pyloom with itself: a `ClusterPool` on nodes of this machine
            beside a local `Pool` of as many workers, measured in one JVM, back to back.

            A full run of a suite rewrites its section below; the workloads are described in
            `src/main/java/dev/pyloom/benchmarks/*Workloads.java` and `python/*_bench.py`.
            JMH micro-benchmarks: `-Dbench.main=org.openjdk.jmh.Main`.
            """;

    private Readme() {}

    /** Writes {@code report} as the section of {@code suite} in the file, creating the file if need be. */
    static void update(Path file, String suite, String report) throws IOException {
        String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : INTRO;
        Files.writeString(file, withSection(text, suite, report), StandardCharsets.UTF_8);
    }

    /**
     * Replaces what a module's README holds between {@code <!-- bench:NAME -->} and
     * {@code <!-- /bench:NAME -->} with {@code content} (a table the runner measured); a file
     * without the markers is left alone, and the runner says so.
     */
    static void updateMarked(Path file, String name, String content) throws IOException {
        String open = "<!-- bench:" + name + " -->";
        String close = "<!-- /bench:" + name + " -->";
        String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        int start = text.indexOf(open);
        int end = text.indexOf(close);
        if (start < 0 || end < start) {
            System.err.println("not updated: " + file + " has no " + open + " ... " + close + " section");
            return;
        }
        Files.writeString(file, text.substring(0, start) + open + "\n" + content.strip() + "\n" + text.substring(end),
                StandardCharsets.UTF_8);
    }

    /** {@code text} with the section of {@code suite} replaced by {@code report}, or added at the end. */
    static String withSection(String text, String suite, String report) {
        String open = "<!-- suite:" + suite + " -->";
        String close = "<!-- /suite:" + suite + " -->";
        String section = open + "\n\n## " + suite + "\n\n" + report.strip() + "\n\n" + close;
        int start = text.indexOf(open);
        int end = text.indexOf(close);
        if (start >= 0 && end > start) {
            return text.substring(0, start) + section + text.substring(end + close.length());
        }
        return text.stripTrailing() + "\n\n" + section + "\n";
    }
}

package dev.pyloom.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.pyloom.testing.ChildJvm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The tour runs the tutorial's programs in the tutorial's order, each under its heading, or the
 * ones it is given by name. It runs in a JVM of its own with the flag the README's command gives
 * it, as a user runs it; every program's output under its heading is checked as its own test
 * checks it.
 */
class TourTest {

    /**
     * The tutorial's order: threads, processes (the Pool program on a cluster right after the
     * Pool program), coroutines, then the recipe and its one-JVM counterpart.
     */
    private static final List<String> TUTORIAL_ORDER = List.of(
            "thread", "balance", "process", "pool", "cluster-pool", "queue", "generator", "hello", "wget",
            "processes-coroutines", "loops-per-core");

    /**
     * What the README's command passes to the JVM: the carrier strategy for the loops, and
     * Hazelcast's opens for the cluster program ({@link HazelcastOptions}, which also lets
     * JDK 23 and later run Hazelcast's {@code sun.misc.Unsafe} calls without a warning).
     */
    private static final List<String> JVM_OPTIONS = HazelcastOptions.with("--add-opens=java.base/java.lang=ALL-UNNAMED");

    /**
     * The whole tour takes about forty seconds, half of it in its programs' sleeps; this is less
     * than JUnit's own limit, so that a tour that hangs fails with what it printed on standard error.
     */
    private static final Duration TOUR_PATIENCE = Duration.ofSeconds(100);

    @Test
    void theTourRunsEveryProgramInTheTutorialsOrderEachUnderItsHeading() throws Exception {
        Map<String, List<String>> sections = sections(tour(TOUR_PATIENCE));
        assertEquals(TUTORIAL_ORDER, List.copyOf(sections.keySet()));
        sections.forEach((name, output) -> ExpectedOutput.BY_NAME.get(name).accept(output));
    }

    @Test
    void oneNameRunsJustThatProgramUnderItsHeading() throws Exception {
        Map<String, List<String>> sections = sections(tour(ChildJvm.PATIENCE, "generator"));
        assertEquals(List.of("generator"), List.copyOf(sections.keySet()));
        ExpectedOutput.producerConsumer(sections.get("generator"));
    }

    @Test
    void severalNamesRunTheirProgramsInTheOrderGiven() throws Exception {
        Map<String, List<String>> sections = sections(tour(ChildJvm.PATIENCE, "wget", "generator"));
        assertEquals(List.of("wget", "generator"), List.copyOf(sections.keySet()));
        sections.forEach((name, output) -> ExpectedOutput.BY_NAME.get(name).accept(output));
    }

    @Test
    void anUnknownNameListsTheKnownOnesInOrderAndRunsNothing() throws Exception {
        ChildJvm.Result result;
        try (ChildJvm child = ChildJvm.start(JVM_OPTIONS, Tour.class, "generator", "pools")) {
            result = child.await();
        }
        assertEquals(Tour.UNKNOWN_NAME, result.exitCode());
        assertEquals("", result.stdout(), "not even the known name before it ran");
        List<String> lines = result.stderr().lines().toList();
        assertEquals("The tour has no program named \"pools\". Its programs, in order:", lines.get(0));
        List<String> listed = lines.stream().filter(line -> line.startsWith("  "))
                .map(line -> line.strip().split("\\s+", 2)[0]).toList();
        assertEquals(TUTORIAL_ORDER, listed);
    }

    /** Runs the tour with {@code names}; it must succeed and print nothing on standard error. */
    private static List<String> tour(Duration patience, String... names) throws Exception {
        ChildJvm.Result result;
        try (ChildJvm child = ChildJvm.start(JVM_OPTIONS, Tour.class, names)) {
            result = child.await(patience);
        }
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals("", result.stderr());
        return result.stdoutLines();
    }

    /**
     * The tour's output cut at its headings: each program's name, from its heading, and the lines
     * under it. A heading is the program's own ({@link Tour#heading}); the blank line before each
     * heading belongs to none, and nothing but blank lines comes before the first.
     */
    private static Map<String, List<String>> sections(List<String> lines) {
        Map<String, List<String>> sections = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : lines) {
            if (line.startsWith("== ")) {
                String name = line.substring(3).split(" ", 3)[1];
                Tour.Program program = Tour.find(name)
                        .orElseThrow(() -> new AssertionError("a heading of no program: " + line));
                assertEquals(Tour.heading(program), line);
                current = new ArrayList<>();
                assertNull(sections.put(name, current), "a program under two headings: " + line);
            } else if (current == null) {
                assertEquals("", line, "before the first heading");
            } else {
                current.add(line);
            }
        }
        for (List<String> section : sections.values()) {
            if (!section.isEmpty() && section.get(section.size() - 1).isEmpty()) {
                section.remove(section.size() - 1); // the blank line before the next heading
            }
        }
        return sections;
    }
}

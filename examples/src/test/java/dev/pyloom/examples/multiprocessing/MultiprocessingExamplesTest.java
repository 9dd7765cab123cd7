package dev.pyloom.examples.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.testing.ChildJvm;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The multiprocessing examples print what the tutorial's Python prints. Each runs in a JVM of
 * its own, as a user runs it, so that its child processes' output (which is its output) is seen.
 */
class MultiprocessingExamplesTest {

    @Test
    void childProcessPrintsTheTutorialsLines() throws Exception {
        List<String> lines = run(ChildProcess.class);
        assertEquals(4, lines.size(), lines.toString());
        long parent = pid(lines.get(0), "Parent process (\\d+)\\.");
        assertEquals("Child process will start.", lines.get(1));
        long child = pid(lines.get(2), "Run child process test \\((\\d+)\\)\\.\\.\\.");
        assertNotEquals(parent, child, "the child is a process of its own");
        assertEquals("Child process end.", lines.get(3));
    }

    @Test
    void theFifthPoolTaskWaitsForAFreeWorker() throws Exception {
        List<String> lines = run(PoolOfFour.class);
        long parent = pid(lines.get(0), "Parent process (\\d+)\\.");
        assertEquals("All subprocesses done.", lines.get(lines.size() - 1));
        assertTrue(lines.contains("Waiting for all subprocesses done..."), lines.toString());
        Set<Long> workers = new HashSet<>();
        List<String> events = new ArrayList<>();
        for (String line : lines.subList(1, lines.size() - 1)) {
            Matcher run = Pattern.compile("Run task (\\d) \\((\\d+)\\)\\.\\.\\.").matcher(line);
            Matcher ran = Pattern.compile("Task (\\d) runs \\d+\\.\\d\\d seconds\\.").matcher(line);
            if (run.matches()) {
                workers.add(Long.parseLong(run.group(2)));
                events.add("start " + run.group(1));
            } else if (ran.matches()) {
                events.add("end " + ran.group(1));
            } else {
                assertEquals("Waiting for all subprocesses done...", line);
            }
        }
        assertEquals(10, events.size(), "five tasks, each started and ended: " + lines);
        assertTrue(workers.size() <= 4 && !workers.contains(parent), "tasks ran in the pool's workers: " + workers);
        int fifthStart = events.indexOf("start 4");
        assertTrue(events.subList(0, fifthStart).stream().anyMatch(e -> e.startsWith("end")),
                "task 4 started only after one of the first four ended: " + events);
    }

    @Test
    void theQueueCarriesABCFromWriterToReader() throws Exception {
        List<String> lines = run(QueueBetweenProcesses.class);
        assertEquals(8, lines.size(), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.matches("Process to write: \\d+")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.matches("Process to read: \\d+")), lines.toString());
        List<String> queueLines = lines.stream().filter(l -> !l.startsWith("Process to")).toList();
        for (String value : List.of("A", "B", "C")) {
            int put = queueLines.indexOf("Put " + value + " to queue...");
            int got = queueLines.indexOf("Get " + value + " from queue.");
            assertTrue(put >= 0 && got > put, value + " was put, then got: " + lines);
        }
        assertEquals(List.of("Get A from queue.", "Get B from queue.", "Get C from queue."),
                queueLines.stream().filter(l -> l.startsWith("Get")).toList(), "in order");
    }

    private static List<String> run(Class<?> program) throws Exception {
        ChildJvm.Result result = ChildJvm.run(program);
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals("", result.stderr());
        return result.stdoutLines();
    }

    private static long pid(String line, String pattern) {
        Matcher m = Pattern.compile(pattern).matcher(line);
        assertTrue(m.matches(), "expected " + pattern + ", got: " + line);
        return Long.parseLong(m.group(1));
    }
}

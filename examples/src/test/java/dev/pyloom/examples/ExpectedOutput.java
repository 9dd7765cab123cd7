package dev.pyloom.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * What each program of the tour prints, as patterns, never timings: pids, the lock-free
 * balance, how long a task slept and which worker ran it vary from run to run; the lines, their
 * order where the program promises one, and every count do not. Each check is written once and
 * used twice: by the program's own test and by the tour's, which sees the output under its
 * heading.
 */
public final class ExpectedOutput {

    /** The checks, by the tour's names for the programs, in the tutorial's order. */
    public static final Map<String, Consumer<List<String>>> BY_NAME = byName();

    /*
     * The recipes: 2000 fetches per event loop, round robin over three servers whose pages are
     * 1, 2 and 4 KiB, so every loop brings the same number of bytes.
     */
    private static final int FETCHES_PER_LOOP = 2000;
    private static final long BYTES_PER_LOOP =
            IntStream.range(0, FETCHES_PER_LOOP).mapToLong(i -> List.of(1024, 2048, 4096).get(i % 3)).sum();

    private ExpectedOutput() {}

    /** {@code thread}: the tutorial's lines, exactly. */
    public static void loopThread(List<String> lines) {
        assertEquals(List.of(
                "thread MainThread is running...",
                "thread LoopThread is running...",
                "thread LoopThread >>> 1",
                "thread LoopThread >>> 2",
                "thread LoopThread >>> 3",
                "thread LoopThread >>> 4",
                "thread LoopThread >>> 5",
                "thread LoopThread ended.",
                "thread MainThread ended."), lines);
    }

    /** {@code balance}: the unlocked balance is whatever the race left; the locked one is 0. */
    public static void sharedBalance(List<String> lines) {
        assertEquals(2, lines.size(), lines.toString());
        match(lines.get(0), "balance without a lock: -?\\d+ \\((updates were lost|the race lost nothing this time; run it again)\\)");
        assertEquals("balance with a lock: 0", lines.get(1));
    }

    /** {@code process}: the tutorial's four lines; the child has a pid of its own. */
    public static void childProcess(List<String> lines) {
        assertEquals(4, lines.size(), lines.toString());
        long parent = pid(lines.get(0), "Parent process (\\d+)\\.");
        assertEquals("Child process will start.", lines.get(1));
        long child = pid(lines.get(2), "Run child process test \\((\\d+)\\)\\.\\.\\.");
        assertNotEquals(parent, child, "the child is a process of its own");
        assertEquals("Child process end.", lines.get(3));
    }

    /** {@code pool}: five tasks in at most four workers; the fifth starts after one of the first four ended. */
    public static void poolOfFour(List<String> lines) {
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

    /**
     * {@code cluster-pool}: what {@code pool} prints, and for the same reason: five tasks in at
     * most four workers (two nodes of two), none in the program's own process; the fifth starts
     * after one of the first four ended.
     */
    public static void poolOnTwoNodes(List<String> lines) {
        poolOfFour(lines);
    }

    /** {@code queue}: A, B and C each put, then got, in order. */
    public static void queueBetweenProcesses(List<String> lines) {
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

    /** {@code generator}: producer and consumer take turns, five times. */
    public static void producerConsumer(List<String> lines) {
        List<String> expected = new ArrayList<>();
        for (int n = 1; n <= 5; n++) {
            expected.add("[PRODUCER] Producing " + n + "...");
            expected.add("[CONSUMER] Consuming " + n + "...");
            expected.add("[PRODUCER] Consumer return: 200 OK");
        }
        assertEquals(expected, lines);
    }

    /** {@code hello}: one hello(), then two whose sleeps overlap, then how long the two took. */
    public static void hello(List<String> lines) {
        assertEquals(7, lines.size(), lines.toString());
        assertEquals(List.of(
                "Hello world!", "Hello again!",                                  // one hello()
                "Hello world!", "Hello world!", "Hello again!", "Hello again!"), // two at once: both sleep together
                lines.subList(0, 6));
        match(lines.get(6), "two hello\\(\\) coroutines, gathered: \\d+\\.\\d s");
    }

    /** {@code wget}: the three coroutines start before any answer; each site's headers, in order. */
    public static void wget(List<String> lines) {
        Map<String, List<String>> sites = new LinkedHashMap<>();
        sites.put("www.sina.com.cn", List.of("HTTP/1.1 200 OK", "Date: Wed, 20 May 2015 04:56:33 GMT",
                "Content-Type: text/html", "Content-Length: 575", "Connection: close"));
        sites.put("www.sohu.com", List.of("HTTP/1.1 200 OK", "Content-Type: text/html", "Content-Length: 2345",
                "Connection: close"));
        sites.put("www.163.com", List.of("HTTP/1.0 302 Moved Temporarily", "Server: Cdn Cache Server V2.0",
                "Date: Wed, 20 May 2015 04:56:33 GMT", "Content-Type: text/html", "Location: http://www.163.com/",
                "Connection: close"));
        assertEquals(sites.keySet().stream().map(host -> "wget " + host + "...").toList(), lines.subList(0, 3),
                "the three coroutines all start before any answer arrives");
        int headerLines = 0;
        for (Map.Entry<String, List<String>> site : sites.entrySet()) {
            String prefix = site.getKey() + " header > ";
            List<String> printed = lines.stream().filter(line -> line.startsWith(prefix))
                    .map(line -> line.substring(prefix.length())).toList();
            assertEquals(site.getValue(), printed, site.getKey());
            headerLines += printed.size();
        }
        assertEquals(3 + headerLines, lines.size(), lines.toString());
    }

    /**
     * {@code processes-coroutines}: a Pool of a worker per core (at least two), a task each; every
     * task fetched all its pages in a worker, and the total adds up.
     */
    public static void processesAndCoroutines(List<String> lines) {
        Matcher header = match(lines.get(0),
                "Parent process (\\d+): 3 page servers on 127\\.0\\.0\\.1, a Pool of (\\d+) worker processes\\.");
        long parent = Long.parseLong(header.group(1));
        int tasks = Integer.parseInt(header.group(2));
        assertTrue(tasks >= 2, "a worker per core, at least two: " + tasks);
        assertEquals(1 + tasks + 1, lines.size(), lines.toString());
        Set<Long> workers = new HashSet<>();
        for (int i = 1; i <= tasks; i++) {
            Matcher task = match(lines.get(i), "task " + i + " in process (\\d+): " + FETCHES_PER_LOOP
                    + " coroutines fetched " + FETCHES_PER_LOOP + " pages, " + BYTES_PER_LOOP + " bytes");
            workers.add(Long.parseLong(task.group(1)));
        }
        assertFalse(workers.contains(parent), "the tasks ran in the pool's workers: " + workers);
        match(lines.get(tasks + 1), "All tasks done: " + tasks * FETCHES_PER_LOOP + " pages, " + tasks * BYTES_PER_LOOP
                + " bytes, fetched in " + workers.size() + " worker processes in \\d+\\.\\d s\\.");
    }

    /**
     * {@code loops-per-core}: an event loop per core (at least two), each on a platform thread of
     * its own in this one process; every loop fetched all its pages, and the total adds up.
     */
    public static void loopsPerCore(List<String> lines) {
        Matcher header = match(lines.get(0),
                "Process (\\d+): 3 page servers on 127\\.0\\.0\\.1, (\\d+) event loops on platform threads\\.");
        long process = Long.parseLong(header.group(1));
        int loops = Integer.parseInt(header.group(2));
        assertTrue(loops >= 2, "a loop per core, at least two: " + loops);
        assertEquals(1 + loops + 1, lines.size(), lines.toString());
        for (int i = 1; i <= loops; i++) {
            match(lines.get(i), "loop " + i + " on thread loop-" + i + " of process " + process + ": " + FETCHES_PER_LOOP
                    + " coroutines fetched " + FETCHES_PER_LOOP + " pages, " + BYTES_PER_LOOP + " bytes");
        }
        match(lines.get(loops + 1), "All loops done: " + loops * FETCHES_PER_LOOP + " pages, " + loops * BYTES_PER_LOOP
                + " bytes, fetched in one process in \\d+\\.\\d s\\.");
    }

    private static Map<String, Consumer<List<String>>> byName() {
        Map<String, Consumer<List<String>>> checks = new LinkedHashMap<>();
        checks.put("thread", ExpectedOutput::loopThread);
        checks.put("balance", ExpectedOutput::sharedBalance);
        checks.put("process", ExpectedOutput::childProcess);
        checks.put("pool", ExpectedOutput::poolOfFour);
        checks.put("cluster-pool", ExpectedOutput::poolOnTwoNodes);
        checks.put("queue", ExpectedOutput::queueBetweenProcesses);
        checks.put("generator", ExpectedOutput::producerConsumer);
        checks.put("hello", ExpectedOutput::hello);
        checks.put("wget", ExpectedOutput::wget);
        checks.put("processes-coroutines", ExpectedOutput::processesAndCoroutines);
        checks.put("loops-per-core", ExpectedOutput::loopsPerCore);
        return Collections.unmodifiableMap(checks);
    }

    private static Matcher match(String line, String pattern) {
        Matcher m = Pattern.compile(pattern).matcher(line);
        if (!m.matches()) {
            fail("expected " + pattern + ", got: " + line);
        }
        return m;
    }

    private static long pid(String line, String pattern) {
        return Long.parseLong(match(line, pattern).group(1));
    }
}

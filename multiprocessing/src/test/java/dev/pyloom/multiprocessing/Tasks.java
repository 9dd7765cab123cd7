package dev.pyloom.multiprocessing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Tasks the tests hand to workers and processes: static methods, resolved by name in the worker. */
final class Tasks {

    private Tasks() {}

    record Point(int x, int y) {
        int norm1() {
            return Math.abs(x) + Math.abs(y);
        }
    }

    enum Colour { RED, GREEN }

    static int square(int x) {
        return x * x;
    }

    static int add(int a, int b) {
        return a + b;
    }

    static String join3(String a, int b, boolean c) {
        return a + b + c;
    }

    static int identity(int x) {
        return x;
    }

    static long pid() {
        return ProcessHandle.current().pid();
    }

    static String classPath() {
        return System.getProperty("java.class.path");
    }

    static String processName() {
        return PyProcess.current().name();
    }

    static Point mirror(Point p) {
        return new Point(p.y(), p.x());
    }

    static List<Point> points(int n) {
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            points.add(new Point(i, -i));
        }
        return points;
    }

    static Map<String, List<Colour>> colours(int n) {
        Map<String, List<Colour>> out = new TreeMap<>();
        out.put("reds", java.util.Collections.nCopies(n, Colour.RED));
        out.put("greens", List.of(Colour.GREEN));
        return out;
    }

    static int sum(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).sum();
    }

    /** Work that takes a while in the worker; what the pool does meanwhile is under test. */
    static int slow(int millis) throws InterruptedException {
        Thread.sleep(millis);
        return millis;
    }

    /** Waits until the test puts a value on {@code gate}, and returns it: a task that ends when the test says. */
    static int waitFor(dev.pyloom.ipc.Queue<Integer> gate) throws IOException {
        return gate.get();
    }

    /** Says it has started, then waits on {@code gate}. */
    static int startThenWait(dev.pyloom.ipc.Queue<Integer> started, dev.pyloom.ipc.Queue<Integer> gate) throws IOException {
        started.put(1);
        return gate.get();
    }

    /**
     * Says it has started (with its worker's pid), then sleeps until it is interrupted, and says
     * that too.
     */
    static int sleepUntilInterrupted(dev.pyloom.ipc.Queue<Long> started, dev.pyloom.ipc.Queue<String> ended)
            throws IOException {
        try {
            started.put(ProcessHandle.current().pid());
        } catch (IOException | RuntimeException interruptedAlready) {
            // the interrupt may come while the put finishes: the thread's interrupt status says so
        }
        return sleepThenSayInterrupted(ended);
    }

    /** Says it has started (with its worker's pid), then works for {@code millis} (a sleep). */
    static int startThenSleep(dev.pyloom.ipc.Queue<Long> started, int millis) throws IOException, InterruptedException {
        started.put(ProcessHandle.current().pid());
        Thread.sleep(millis); // the task under test: it runs while another is cancelled
        return millis;
    }

    /** Says hello on {@code queue}, and returns its worker's pid. */
    static long sayHello(dev.pyloom.ipc.Queue<String> queue) throws IOException {
        queue.put("hello");
        return ProcessHandle.current().pid();
    }

    /** Sleeps until it is interrupted, whenever that comes, and then says so. */
    static int sleepThenSayInterrupted(dev.pyloom.ipc.Queue<String> ended) throws IOException {
        try {
            Thread.sleep(java.time.Duration.ofMinutes(5)); // the task under test: its worker interrupts it
            ended.put("slept");
        } catch (InterruptedException e) {
            ended.put("interrupted");
        }
        return 0;
    }

    /** Says it has started, then spins, never looking at its interrupt status (for a minute at most). */
    static int ignoreInterrupts(dev.pyloom.ipc.Queue<Long> started) throws IOException {
        started.put(ProcessHandle.current().pid());
        long end = System.nanoTime() + java.time.Duration.ofMinutes(1).toNanos();
        long spins = 0;
        while (System.nanoTime() < end) {
            spins++;
        }
        return (int) spins;
    }

    /** Puts {@code x} on {@code ran}, and returns it: a task that leaves a mark when it runs. */
    static int record(dev.pyloom.ipc.Queue<Integer> ran, int x) throws IOException {
        ran.put(x);
        return x;
    }

    static int exitIfOdd(int x) {
        if (x % 2 == 1) {
            System.exit(x);
        }
        return x;
    }

    /** Python's {@code None} for odd numbers. */
    static Integer nullIfOdd(int x) {
        return x % 2 == 1 ? null : x;
    }

    /** Python's {@code None} when the sum is odd. */
    static Integer nullIfSumOdd(int a, int b) {
        return nullIfOdd(a + b);
    }

    /** Throws for item 3 (and every item {@code 3 + 10k}); the square otherwise. */
    static int failAt3(int x) {
        if (x % 10 == 3) {
            throw new IllegalArgumentException("item " + x);
        }
        return x * x;
    }

    static <T> T echo(T value) {
        return value;
    }

    static void nothing() {}

    static int fail(String message) {
        throw new IllegalArgumentException(message);
    }

    static int failChecked(String message) throws IOException {
        throw new IOException(message, new IllegalStateException("the cause"));
    }

    /** An exception with neither a message nor a cause constructor, and a private one. */
    static final class Odd extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private Odd(int code) {
            super("odd " + code);
        }
    }

    static int failOddly(int code) {
        throw new Odd(code);
    }

    /** A result Jackson cannot encode. */
    static Object unencodable(int ignored) {
        return new Object();
    }

    static int exit(int status) {
        System.exit(status);
        return status;
    }

    static int halt(int status) {
        Runtime.getRuntime().halt(status);
        return status;
    }

    static int killSelf(int signal) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + signal, Long.toString(ProcessHandle.current().pid())).start().waitFor();
        Thread.sleep(60_000);
        return signal;
    }

    static int exhaustMemory(int ignored) {
        List<long[]> hog = new ArrayList<>();
        for (;;) {
            hog.add(new long[1 << 20]);
        }
    }

    /**
     * An initializer that leaves its pid in {@code directory} and waits (at most a minute) until
     * {@code workers} initializers have: initializers that wait for each other.
     */
    static void arriveAndWaitForAll(String directory, int workers) throws Exception {
        java.nio.file.Path dir = java.nio.file.Path.of(directory);
        java.nio.file.Files.createFile(dir.resolve(Long.toString(ProcessHandle.current().pid())));
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(1);
        while (countFiles(directory) < workers) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the other initializers never came");
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    /** An initializer that leaves its pid in {@code directory}. */
    static void arrive(String directory) throws Exception {
        java.nio.file.Files.createFile(java.nio.file.Path.of(directory, Long.toString(ProcessHandle.current().pid())));
    }

    static int countFiles(String directory) throws java.io.IOException {
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(java.nio.file.Path.of(directory))) {
            return (int) files.count();
        }
    }

    /** Initializer: remembers its argument in the worker, for {@link #initialized()}. */
    static void initialize(String value) {
        System.setProperty("pyloom.test.initialized", value);
    }

    static String initialized() {
        return System.getProperty("pyloom.test.initialized", "no");
    }

    static void failToInitialize() {
        throw new IllegalStateException("initializer says no");
    }

    /** Initializer: says its worker's pid on {@code started}, then waits for a word on {@code gate}. */
    static void initializeWhenTold(dev.pyloom.ipc.Queue<Long> started, dev.pyloom.ipc.Queue<Integer> gate)
            throws IOException {
        started.put(ProcessHandle.current().pid());
        gate.get();
    }

    /** A value whose accessor throws an Error when it is encoded to travel: 13 is unlucky. */
    record Unlucky(int value) {
        @Override
        public int value() {
            if (value == 13) {
                throw new AssertionError("13 cannot travel");
            }
            return value;
        }
    }

    static int unwrap(Unlucky unlucky) {
        return unlucky.value();
    }

    /** A result whose constructor throws an Error in the parent (only there), as it is decoded. */
    record Cursed(int value) {
        Cursed {
            if (value == 13 && PyProcess.current().name().equals("MainProcess")) {
                throw new StackOverflowError("decoding 13 here");
            }
        }
    }

    static Cursed curse(int value) {
        return new Cursed(value);
    }
}

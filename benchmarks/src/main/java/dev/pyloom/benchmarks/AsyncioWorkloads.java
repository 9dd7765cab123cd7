package dev.pyloom.benchmarks;

import dev.pyloom.asyncio.Asyncio;
import dev.pyloom.asyncio.EventLoop;
import dev.pyloom.asyncio.Future;
import dev.pyloom.asyncio.Strategy;
import dev.pyloom.asyncio.Task;
import dev.pyloom.asyncio.locks.Event;
import dev.pyloom.asyncio.queues.Queue;
import dev.pyloom.asyncio.streams.Connection;
import dev.pyloom.asyncio.streams.Server;
import dev.pyloom.asyncio.streams.Streams;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pyloom side of the side-by-side asyncio benchmarks: the same workloads as
 * {@code python/asyncio_bench.py}, written the same way, one per JVM.
 *
 * <p>{@code java ... AsyncioWorkloads WORKLOAD/STRATEGY [--quick]} runs one workload on a loop
 * of the given strategy ({@code carrier} needs {@code --add-opens java.base/java.lang=ALL-UNNAMED})
 * and prints one line of {@code key=value} pairs. Timed workloads report the best of several
 * rounds after warm-up rounds, as {@link ThreadingWorkloads} does.
 */
public final class AsyncioWorkloads {

    private AsyncioWorkloads() {}

    /** How big each workload is; {@link #QUICK} only proves the code works. */
    record Scale(int tasks, int sleepers, int queueItems, int switches, int callbacks, int gathered,
                 int echoClients, int echoTrips, int warmups) {}

    static final Scale FULL = new Scale(100_000, 1_000_000, 1_000_000, 200_000, 1_000_000, 10_000, 100, 1_000, 3);
    static final Scale QUICK = new Scale(1_000, 1_000, 1_000, 1_000, 1_000, 100, 5, 10, 1);

    /** One measured round, run as a coroutine on the loop. */
    interface Round {
        double measure(EventLoop loop) throws Exception;
    }

    static double bestOf(EventLoop loop, int warmups, int rounds, Round round) throws Exception {
        for (int i = 0; i < warmups; i++) {
            loop.run(() -> round.measure(loop));
        }
        double best = Double.MAX_VALUE;
        for (int i = 0; i < rounds; i++) {
            best = Math.min(best, loop.run(() -> round.measure(loop)));
        }
        return best;
    }

    /** µs per task: create {@code tasks} tasks that each {@code sleep(0)}, then await them all. */
    static double tasks(EventLoop loop, Scale scale) throws Exception {
        int n = scale.tasks();
        return bestOf(loop, scale.warmups(), 5, l -> {
            long t0 = System.nanoTime();
            List<Task<Void>> tasks = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                tasks.add(Asyncio.createTask(() -> Asyncio.sleep(Duration.ZERO)));
            }
            for (Task<Void> task : tasks) {
                task.await();
            }
            return (System.nanoTime() - t0) / 1e3 / n;
        });
    }

    /**
     * {@code sleepers} tasks each sleeping 1 s, gathered: wall time in seconds and the peak
     * resident set of the whole JVM (VmHWM) in MiB. Run alone in its JVM.
     *
     * <p>Warm-up rounds of a few thousand tasks come first, as a program that has been running a
     * while has them behind it. A sleeping task's stack chunk is a copy of the frames it parked
     * in, so its size is the compiled code's: ~350 bytes once C2 has compiled the path from the
     * thread's start to its park into one frame, ~2,000 in C1's frames, more in the
     * interpreter's (which also thaw on a slow path, ten times slower on JDK 25). Rounds this
     * small let every task of a round sleep and wake before C2 compiles that path, so it has seen
     * both sides of every branch; after rounds of 100,000, C2's code had never seen a task wake,
     * the first wake-ups deoptimized it, and the timed run parked in C1's frames (400-500 bytes
     * a task on average).
     */
    static Map<String, Double> sleepers(EventLoop loop, Scale scale) throws Exception {
        int n = scale.sleepers();
        for (int i = 0; i < SLEEPERS_WARMUP_ROUNDS; i++) {
            sleepTogether(loop, Math.max(1, n / 200), Duration.ofMillis(10)); // compile the code the timed run uses
        }
        System.gc();
        long t0 = System.nanoTime();
        sleepTogether(loop, n, Duration.ofSeconds(1));
        double wall = (System.nanoTime() - t0) / 1e9;
        Map<String, Double> result = new LinkedHashMap<>();
        result.put("wall_s", wall);
        result.put("rss_mb", ThreadingWorkloads.peakResidentMiB());
        return result;
    }

    static final int SLEEPERS_WARMUP_ROUNDS = 20;

    private static void sleepTogether(EventLoop loop, int n, Duration nap) throws Exception {
        loop.run(() -> {
            List<Task<Void>> tasks = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                tasks.add(Asyncio.createTask(() -> Asyncio.sleep(nap)));
            }
            Asyncio.gather(tasks);
        });
    }

    /** ms to pass {@code queueItems} items from a producer to a consumer through a Queue of 1,000. */
    static double queue(EventLoop loop, Scale scale) throws Exception {
        int n = scale.queueItems();
        return bestOf(loop, scale.warmups(), 3, l -> {
            Queue<Integer> queue = new Queue<>(1_000);
            long t0 = System.nanoTime();
            Task<Long> consumer = Asyncio.createTask(() -> {
                long sum = 0;
                for (int i = 0; i < n; i++) {
                    sum += queue.get();
                }
                return sum;
            });
            for (int i = 0; i < n; i++) {
                queue.put(i);
            }
            long sum = consumer.await();
            double elapsed = (System.nanoTime() - t0) / 1e6;
            check(sum == (long) n * (n - 1) / 2, "lost items: " + sum);
            return elapsed;
        });
    }

    /** ns per switch: two coroutines wake each other through two Events. */
    static double switchEvent(EventLoop loop, Scale scale) throws Exception {
        int n = scale.switches();
        return bestOf(loop, scale.warmups(), 3, l -> {
            Event ping = new Event();
            Event pong = new Event();
            Task<Void> server = Asyncio.createTask(() -> {
                for (int i = 0; i < n; i++) {
                    ping.await();
                    ping.clear();
                    pong.set();
                }
            });
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                ping.set();
                pong.await();
                pong.clear();
            }
            server.await();
            return (double) (System.nanoTime() - t0) / (2L * n);
        });
    }

    /** The two futures of the Future ping-pong: the client's request and the server's reply. */
    private static final class Exchange {
        Future<Void> request;
        Future<Void> reply;
    }

    /** ns per switch: two coroutines wake each other by completing a fresh Future each time. */
    static double switchFuture(EventLoop loop, Scale scale) throws Exception {
        int n = scale.switches();
        return bestOf(loop, scale.warmups(), 3, l -> {
            Exchange x = new Exchange();
            x.request = l.createFuture();
            Task<Void> server = Asyncio.createTask(() -> {
                for (int i = 0; i < n; i++) {
                    x.request.await();
                    x.request = l.createFuture();
                    x.reply.setResult(null);
                }
            });
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                x.reply = l.createFuture();
                x.request.setResult(null);
                x.reply.await();
            }
            server.await();
            return (double) (System.nanoTime() - t0) / (2L * n);
        });
    }

    /** Callbacks per second: callSoon 1,000 callbacks and let the loop run them, 1,000 times over. */
    static double callSoon(EventLoop loop, Scale scale) throws Exception {
        int n = scale.callbacks();
        int batch = 1_000;
        return -bestOf(loop, scale.warmups(), 3, l -> {
            int[] count = {0};
            Runnable callback = () -> count[0]++;
            long t0 = System.nanoTime();
            for (int done = 0; done < n; done += batch) {
                for (int i = 0; i < batch; i++) {
                    l.callSoon(callback);
                }
                Asyncio.sleep(Duration.ZERO);
            }
            double rate = n / ((System.nanoTime() - t0) / 1e9);
            check(count[0] == n, "lost callbacks: " + count[0]);
            return -rate; // bestOf keeps the minimum; the best rate is the highest
        });
    }

    /** ms to gather {@code gathered} coroutines that each sleep(0) and return a value. */
    static double gather(EventLoop loop, Scale scale) throws Exception {
        int n = scale.gathered();
        return bestOf(loop, scale.warmups(), 5, l -> {
            long t0 = System.nanoTime();
            List<Task<Integer>> tasks = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int value = i;
                tasks.add(Asyncio.createTask(() -> {
                    Asyncio.sleep(Duration.ZERO);
                    return value;
                }));
            }
            List<Integer> results = Asyncio.gather(tasks);
            double elapsed = (System.nanoTime() - t0) / 1e6;
            check(results.size() == n, "lost results");
            return elapsed;
        });
    }

    /** One 64-byte line per echo round trip, as in asyncio_bench.py. */
    private static final byte[] MESSAGE = ("x".repeat(63) + "\n").getBytes(StandardCharsets.US_ASCII);

    /** The echo server: every line back, until the client's EOF. */
    private static Server startEchoServer() throws IOException {
        return Streams.startServer((reader, writer) -> {
            for (byte[] line = reader.readLine(); line.length > 0; line = reader.readLine()) {
                writer.write(line);
                writer.drain();
            }
        }, "127.0.0.1", 0);
    }

    /** Round trips per second: {@code echoClients} clients, each making {@code echoTrips} round trips of a line. */
    private static double echoClients(int port, Scale scale) throws Exception {
        long t0 = System.nanoTime();
        List<Task<Void>> clients = new ArrayList<>(scale.echoClients());
        for (int c = 0; c < scale.echoClients(); c++) {
            clients.add(Asyncio.createTask(() -> {
                Connection connection = Streams.openConnection("127.0.0.1", port);
                for (int i = 0; i < scale.echoTrips(); i++) {
                    connection.writer().write(MESSAGE);
                    connection.writer().drain();
                    byte[] line = connection.reader().readLine();
                    check(line.length == MESSAGE.length, "a short echo: " + line.length);
                }
                connection.writer().close();
                connection.writer().waitClosed();
            }));
        }
        Asyncio.gather(clients);
        return (double) scale.echoClients() * scale.echoTrips() / ((System.nanoTime() - t0) / 1e9);
    }

    /** TCP echo, the server on the clients' loop: round trips per second. */
    static double echoLocal(EventLoop loop, Scale scale) throws Exception {
        return -bestOf(loop, scale.warmups(), 3, l -> {
            try (Server server = startEchoServer()) {
                return -echoClients(server.address().getPort(), scale); // bestOf keeps the minimum
            }
        });
    }

    /**
     * TCP echo, the server in a child JVM of the same strategy: round trips per second. The child
     * prints its port, and serves until its stdin ends.
     */
    static double echoRemote(EventLoop loop, Scale scale, Strategy strategy) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        if (strategy == Strategy.CARRIER) {
            command.add(AsyncioSuite.OPEN_JAVA_LANG);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), AsyncioWorkloads.class.getName(),
                "echo_server/" + strategy.name().toLowerCase(java.util.Locale.ROOT)));
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            String portLine = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            check(portLine != null, "the echo server child printed no port");
            int port = Integer.parseInt(portLine.trim());
            return -bestOf(loop, scale.warmups(), 3, l -> -echoClients(port, scale));
        } finally {
            child.getOutputStream().close(); // the child's cue to stop
            if (!child.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                child.destroyForcibly().waitFor();
            }
        }
    }

    /** The child of echo_remote: an echo server that prints its port and serves until stdin ends. */
    static void echoServer(EventLoop loop) throws Exception {
        loop.run(() -> {
            try (Server server = startEchoServer()) {
                System.out.println(server.address().getPort());
                System.out.flush();
                Asyncio.toThread(() -> System.in.readAllBytes());
            }
        });
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new AssertionError(message);
        }
    }

    /** Runs one workload ({@code name/strategy}) and returns its key=value results. */
    static Map<String, Double> run(String workload, Scale scale) throws Exception {
        int slash = workload.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("name the strategy: WORKLOAD/carrier or WORKLOAD/handoff, not " + workload);
        }
        String name = workload.substring(0, slash);
        Strategy strategy = Strategy.valueOf(workload.substring(slash + 1).toUpperCase(java.util.Locale.ROOT));
        try (EventLoop loop = new EventLoop(strategy)) {
            return switch (name) {
                case "tasks" -> Map.of("value", tasks(loop, scale));
                case "sleepers" -> sleepers(loop, scale);
                case "queue" -> Map.of("value", queue(loop, scale));
                case "switch_event" -> Map.of("value", switchEvent(loop, scale));
                case "switch_future" -> Map.of("value", switchFuture(loop, scale));
                case "callsoon" -> Map.of("value", callSoon(loop, scale));
                case "gather" -> Map.of("value", gather(loop, scale));
                case "echo_local" -> Map.of("value", echoLocal(loop, scale));
                case "echo_remote" -> Map.of("value", echoRemote(loop, scale, strategy));
                default -> throw new IllegalArgumentException("unknown workload: " + name);
            };
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].startsWith("echo_server/")) {
            Strategy strategy = Strategy.valueOf(args[0].substring("echo_server/".length()).toUpperCase(java.util.Locale.ROOT));
            try (EventLoop loop = new EventLoop(strategy)) {
                echoServer(loop);
            }
            return;
        }
        WorkloadCommand.main(args, "AsyncioWorkloads WORKLOAD/{carrier,handoff} [--quick]",
                (workload, quick) -> run(workload, quick ? QUICK : FULL));
    }
}

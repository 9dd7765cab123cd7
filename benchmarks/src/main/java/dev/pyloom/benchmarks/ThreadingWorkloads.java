package dev.pyloom.benchmarks;

import dev.pyloom.threading.Condition;
import dev.pyloom.threading.Event;
import dev.pyloom.threading.Lock;
import dev.pyloom.threading.PyThread;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The pyloom side of the side-by-side threading benchmarks: the same workloads as
 * {@code python/threading_bench.py}, written the same way, one per JVM.
 *
 * <p>{@code java ... ThreadingWorkloads WORKLOAD [--quick]} runs one and prints one line of
 * {@code key=value} pairs. Timed workloads report the best of several rounds after warm-up
 * rounds: the Python side warms up once (it has no JIT to wait for); this side warms up until the
 * JIT has compiled the loop, which a long-running Java program would also have done.
 */
public final class ThreadingWorkloads {

    private ThreadingWorkloads() {}

    /** How big each workload is; {@link #QUICK} only proves the code works. */
    record Scale(int lockOps, int counterTotal, int trips, int startJoinThreads, int sleepers, int warmups) {}

    static final Scale FULL = new Scale(10_000_000, 1_000_000, 20_000, 1_000, 10_000, 5);
    static final Scale QUICK = new Scale(10_000, 10_000, 1_000, 100, 100, 1);

    interface Round {
        double measure() throws Exception;
    }

    static double bestOf(int warmups, int rounds, Round round) throws Exception {
        for (int i = 0; i < warmups; i++) {
            round.measure();
        }
        double best = Double.MAX_VALUE;
        for (int i = 0; i < rounds; i++) {
            best = Math.min(best, round.measure());
        }
        return best;
    }

    /** ns per acquire() + release() of a pyloom Lock no other thread touches. */
    static double uncontendedLock(Scale scale) throws Exception {
        Lock lock = new Lock();
        int n = scale.lockOps();
        return bestOf(scale.warmups(), 5, () -> {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                lock.acquire();
                lock.release();
            }
            return (double) (System.nanoTime() - t0) / n;
        });
    }

    /** The floor: ns per lock() + unlock() of a plain ReentrantLock. */
    static double uncontendedReentrantLock(Scale scale) throws Exception {
        ReentrantLock lock = new ReentrantLock();
        int n = scale.lockOps();
        return bestOf(scale.warmups(), 5, () -> {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                lock.lock();
                lock.unlock();
            }
            return (double) (System.nanoTime() - t0) / n;
        });
    }

    /** ms for 4 threads to increment a Lock-guarded counter {@code counterTotal} times in all. */
    static double lockedCounter(Scale scale) throws Exception {
        int threads = 4;
        int each = scale.counterTotal() / threads;
        return bestOf(scale.warmups(), 3, () -> {
            Lock lock = new Lock();
            int[] counter = {0};
            List<PyThread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(new PyThread(() -> {
                    for (int i = 0; i < each; i++) {
                        try (var held = lock.hold()) {
                            counter[0]++;
                        }
                    }
                }));
            }
            long t0 = System.nanoTime();
            startAndJoin(workers);
            long elapsed = System.nanoTime() - t0;
            check(counter[0] == each * threads, "lost increments: " + counter[0]);
            return elapsed / 1e6;
        });
    }

    /** µs per round trip: two threads take turns through one Condition. */
    static double conditionPingPong(Scale scale) throws Exception {
        int trips = scale.trips();
        return bestOf(scale.warmups(), 3, () -> {
            Condition cond = new Condition();
            int[] turn = {0}; // guarded by cond
            PyThread.Target2<Integer, Integer> player = (me, other) -> {
                for (int i = 0; i < trips; i++) {
                    try (var held = cond.hold()) {
                        while (turn[0] != me) {
                            cond.await();
                        }
                        turn[0] = other;
                        cond.signal();
                    }
                }
            };
            List<PyThread> players = List.of(
                    PyThread.builder().target(player, 0, 1).build(),
                    PyThread.builder().target(player, 1, 0).build());
            long t0 = System.nanoTime();
            startAndJoin(players);
            return (System.nanoTime() - t0) / 1e3 / trips;
        });
    }

    /** µs per round trip: two threads signal each other with two Events. */
    static double eventPingPong(Scale scale) throws Exception {
        int trips = scale.trips();
        return bestOf(scale.warmups(), 3, () -> {
            Event ping = new Event();
            Event pong = new Event();
            PyThread server = new PyThread(() -> {
                for (int i = 0; i < trips; i++) {
                    ping.await();
                    ping.clear();
                    pong.set();
                }
            });
            PyThread client = new PyThread(() -> {
                for (int i = 0; i < trips; i++) {
                    ping.set();
                    pong.await();
                    pong.clear();
                }
            });
            long t0 = System.nanoTime();
            startAndJoin(List.of(server, client));
            return (System.nanoTime() - t0) / 1e3 / trips;
        });
    }

    /** ms to start {@code startJoinThreads} threads that do nothing and join them all. */
    static double startJoin(Scale scale) throws Exception {
        int n = scale.startJoinThreads();
        return bestOf(scale.warmups(), 5, () -> {
            long t0 = System.nanoTime();
            List<PyThread> threads = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                threads.add(new PyThread(() -> {}));
            }
            startAndJoin(threads);
            return (System.nanoTime() - t0) / 1e6;
        });
    }

    /**
     * {@code sleepers} threads each sleeping 1 s: wall time in seconds, the part of it beyond the
     * second every thread sleeps (what the threads themselves cost), and the peak resident set of
     * the whole JVM (VmHWM) in MiB. Run alone in its JVM, before anything else, so that the
     * peak is this workload's.
     */
    static Map<String, Double> sleepers(Scale scale) throws Exception {
        int n = scale.sleepers();
        long t0 = System.nanoTime();
        List<PyThread> threads = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            threads.add(new PyThread(() -> Thread.sleep(1_000)));
        }
        startAndJoin(threads);
        double wall = (System.nanoTime() - t0) / 1e9;
        Map<String, Double> result = new LinkedHashMap<>();
        result.put("wall_s", wall);
        result.put("beyond_s", wall - 1.0);
        result.put("rss_mb", peakResidentMiB());
        return result;
    }

    static void startAndJoin(List<PyThread> threads) throws InterruptedException {
        for (PyThread thread : threads) {
            thread.start();
        }
        for (PyThread thread : threads) {
            thread.join();
        }
    }

    /** The process's peak resident set size, from Linux's /proc/self/status. */
    static double peakResidentMiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        throw new IOException("no VmHWM in /proc/self/status");
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new AssertionError(message);
        }
    }

    /** Runs one workload and returns its key=value results. */
    static Map<String, Double> run(String workload, Scale scale) throws Exception {
        return switch (workload) {
            case "lock" -> Map.of("value", uncontendedLock(scale));
            case "reentrantlock" -> Map.of("value", uncontendedReentrantLock(scale));
            case "counter" -> Map.of("value", lockedCounter(scale));
            case "condition" -> Map.of("value", conditionPingPong(scale));
            case "event" -> Map.of("value", eventPingPong(scale));
            case "startjoin" -> Map.of("value", startJoin(scale));
            case "sleepers" -> sleepers(scale);
            default -> throw new IllegalArgumentException("unknown workload: " + workload);
        };
    }

    public static void main(String[] args) throws Exception {
        WorkloadCommand.main(args, "ThreadingWorkloads WORKLOAD [--quick]",
                (workload, quick) -> run(workload, quick ? QUICK : FULL));
    }
}

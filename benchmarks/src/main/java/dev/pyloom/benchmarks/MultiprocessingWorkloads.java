package dev.pyloom.benchmarks;

import dev.pyloom.ipc.Queue;
import dev.pyloom.multiprocessing.AsyncResult;
import dev.pyloom.multiprocessing.Pool;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * The pyloom side of the side-by-side multiprocessing benchmarks: the workloads of
 * {@code python/mp_bench.py}, on pools of worker JVMs started from this JVM's class path.
 *
 * <p>{@code java ... MultiprocessingWorkloads WORKLOAD [--quick]} runs one and prints
 * {@code key=value} figures. Apart from {@code ready}, which times the start of a pool, every
 * workload runs on a pool that has already served warm-up tasks, as on the Python side.
 */
public final class MultiprocessingWorkloads {

    private MultiprocessingWorkloads() {}

    record Sizes(int readyRuns, int applyWarmup, int applyTrips, int asyncWarmup, int asyncTasks, int mapItems,
            int mapWarmup, int burn) {}

    // burn: about half a second a task, as the Python side's 3,000,000 are there (a JIT-compiled
    // loop runs many more iterations in the time; the speed-up compares each side with itself)
    // applyWarmup: 40,000, 10,000 a worker, past which the four workers' JIT compilers have settled
    // (from a fresh pool, the p99 of successive rounds of 10,000 applies was 5.5, 1.8, 2.8, then
    // 0.27, 0.21, 0.24, 0.19 ms); the Python side warms up as long
    static final Sizes FULL = new Sizes(5, 40_000, 10_000, 400_000, 20_000, 100_000, 300, 300_000_000);
    static final Sizes QUICK = new Sizes(1, 200, 1_000, 2_000, 2_000, 10_000, 5, 5_000_000);

    // ------------------------------------------------------------------ tasks

    static int identity(int x) {
        return x;
    }

    /** Says this worker is running a task, then waits for the parent's word. */
    static int checkIn(Queue<Long> arrived, Queue<Boolean> release, int i) throws Exception {
        arrived.put(ProcessHandle.current().pid());
        release.get();
        return i;
    }

    /** CPU-bound work: a sum of integer square roots (the Python side's twin). */
    static long burn(int n) {
        long total = 0;
        for (int i = 0; i < n; i++) {
            total += (long) Math.sqrt(i);
        }
        return total;
    }

    // ------------------------------------------------------------------ workloads

    static Map<String, Double> run(String workload, Sizes sizes) throws Exception {
        return switch (workload) {
            case "ready" -> Map.of("value", ready(sizes));
            case "apply" -> applyRoundTrip(sizes);
            case "applyasync" -> applyAsyncThroughput(sizes);
            case "map" -> mapItems(sizes);
            case "speedup" -> speedup(sizes);
            case "oneshot" -> oneShot(sizes);
            default -> throw new IllegalArgumentException("unknown workload: " + workload);
        };
    }

    /**
     * ms from {@code new Pool(4)} until all four workers are running a task (median of runs).
     * A first, untimed pool lets the worker class-data archive be recorded, as it would be by
     * a program's first run.
     */
    static double ready(Sizes sizes) throws Exception {
        timeReady();
        double[] times = new double[sizes.readyRuns()];
        for (int i = 0; i < times.length; i++) {
            times[i] = timeReady();
        }
        Arrays.sort(times);
        return times[times.length / 2];
    }

    private static double timeReady() throws Exception {
        try (Queue<Long> arrived = Queue.of(Long.class); Queue<Boolean> release = Queue.of(Boolean.class)) {
            long t0 = System.nanoTime();
            Pool pool = new Pool(4);
            double millis = allFourRunning(pool, t0, arrived, release);
            pool.close();
            pool.join();
            return millis;
        }
    }

    private static void allFourRunning(Pool pool) throws Exception {
        try (Queue<Long> arrived = Queue.of(Long.class); Queue<Boolean> release = Queue.of(Boolean.class)) {
            allFourRunning(pool, System.nanoTime(), arrived, release);
        }
    }

    /**
     * Waits until each of the pool's four workers runs a task at once (a pool starts a few at a
     * time); returns the ms from {@code t0} until they were.
     */
    private static double allFourRunning(Pool pool, long t0, Queue<Long> arrived, Queue<Boolean> release)
            throws Exception {
        List<AsyncResult<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            results.add(pool.applyAsync(MultiprocessingWorkloads::checkIn, arrived, release, i));
        }
        for (int i = 0; i < 4; i++) {
            arrived.get();
        }
        double millis = (System.nanoTime() - t0) / 1e6;
        for (int i = 0; i < 4; i++) {
            release.put(true);
        }
        for (AsyncResult<Integer> r : results) {
            r.get();
        }
        return millis;
    }

    /** µs per {@code apply} of a trivial task on a warm Pool(4): p50 and p99. */
    static Map<String, Double> applyRoundTrip(Sizes sizes) throws Exception {
        Pool pool = new Pool(4);
        try {
            for (int i = 0; i < sizes.applyWarmup(); i++) {
                pool.apply(MultiprocessingWorkloads::identity, i);
            }
            double[] samples = new double[sizes.applyTrips()];
            for (int i = 0; i < samples.length; i++) {
                long t0 = System.nanoTime();
                pool.apply(MultiprocessingWorkloads::identity, i);
                samples[i] = (System.nanoTime() - t0) / 1e3;
            }
            Arrays.sort(samples);
            Map<String, Double> out = new LinkedHashMap<>();
            out.put("p50", samples[samples.length / 2]);
            out.put("p99", samples[(int) (samples.length * 0.99)]);
            return out;
        } finally {
            pool.close();
            pool.join();
        }
    }

    /**
     * Tasks per second, {@code applyAsync} of trivial tasks with a callback: on a new Pool(4)
     * whose workers' JIT compilers have seen nothing yet (cold), and the median of five batches
     * after many more (warm).
     */
    static Map<String, Double> applyAsyncThroughput(Sizes sizes) throws Exception {
        Pool pool = new Pool(4);
        try {
            allFourRunning(pool);
            double cold = sizes.asyncTasks() / batch(pool, sizes.asyncTasks());
            batch(pool, sizes.asyncWarmup());
            double[] seconds = new double[5];
            for (int i = 0; i < seconds.length; i++) {
                seconds[i] = batch(pool, sizes.asyncTasks());
            }
            Arrays.sort(seconds);
            double warm = sizes.asyncTasks() / seconds[2];
            Map<String, Double> out = new LinkedHashMap<>();
            out.put("cold", cold);
            out.put("value", warm);
            return out;
        } finally {
            pool.close();
            pool.join();
        }
    }

    /** Seconds for {@code count} tasks with callbacks, until every one is done. */
    private static double batch(Pool pool, int count) throws Exception {
        AtomicInteger done = new AtomicInteger();
        List<AsyncResult<Integer>> results = new ArrayList<>(count);
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
            results.add(pool.applyAsync(MultiprocessingWorkloads::identity, i, x -> done.incrementAndGet(), null));
        }
        for (AsyncResult<Integer> r : results) {
            r.await();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (done.get() != count) {
            throw new IllegalStateException(done.get() + " callbacks for " + count + " tasks");
        }
        return seconds;
    }

    /**
     * ms for {@code map} of trivial items at the default chunk size: on a new Pool(4) (cold), and
     * the median of 21 after 300 more (warm: the medians of successive tens of maps keep falling
     * until some 200 maps, as five JVMs' JIT compilers finish on two cores).
     */
    static Map<String, Double> mapItems(Sizes sizes) throws Exception {
        List<Integer> items = IntStream.range(0, sizes.mapItems()).boxed().toList();
        Pool pool = new Pool(4);
        try {
            allFourRunning(pool);
            double cold = timeMap(pool, items);
            for (int i = 0; i < sizes.mapWarmup(); i++) {
                timeMap(pool, items);
            }
            double[] samples = new double[21];
            for (int i = 0; i < samples.length; i++) {
                samples[i] = timeMap(pool, items);
            }
            Arrays.sort(samples);
            Map<String, Double> out = new LinkedHashMap<>();
            out.put("cold", cold);
            out.put("value", samples[samples.length / 2]);
            return out;
        } finally {
            pool.close();
            pool.join();
        }
    }

    private static double timeMap(Pool pool, List<Integer> items) throws Exception {
        long t0 = System.nanoTime();
        List<Integer> out = pool.map(MultiprocessingWorkloads::identity, items);
        double millis = (System.nanoTime() - t0) / 1e6;
        if (!out.equals(items)) {
            throw new IllegalStateException("map returned the wrong list");
        }
        return millis;
    }

    /** Serial time / Pool(2) time for 8 CPU-bound tasks. */
    static Map<String, Double> speedup(Sizes sizes) throws Exception {
        int n = sizes.burn();
        burn(n); // compiled before the serial clock starts, as the workers' are by their warm-up
        long t0 = System.nanoTime();
        List<Long> expected = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            expected.add(burn(n));
        }
        double serial = (System.nanoTime() - t0) / 1e9;
        Pool pool = new Pool(2);
        try {
            pool.map(MultiprocessingWorkloads::burn, List.of(n, n), 1);
            long t1 = System.nanoTime();
            List<Long> out = pool.map(MultiprocessingWorkloads::burn, java.util.Collections.nCopies(8, n), 1);
            double parallel = (System.nanoTime() - t1) / 1e9;
            if (!out.equals(expected)) {
                throw new IllegalStateException("the pool computed something else");
            }
            Map<String, Double> result = new LinkedHashMap<>();
            result.put("value", serial / parallel);
            result.put("serial_s", serial);
            result.put("pool_s", parallel);
            return result;
        } finally {
            pool.close();
            pool.join();
        }
    }

    /**
     * {@link OneShot} as a whole process, timed by the same code as the Python side's
     * ({@code benchcommon.py whole}): wall and CPU time (medians), the largest resident set.
     */
    static Map<String, Double> oneShot(Sizes sizes) throws Exception {
        boolean quick = sizes == QUICK;
        List<String> command = List.of(SideBySide.pythonBinary(),
                Path.of(System.getProperty("pyloom.bench.python", "python"), "benchcommon.py").toString(), "whole",
                quick ? "2" : "5", "--", ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), OneShot.class.getName(), quick ? "10000" : "100000");
        String output = SideBySide.commandOutput(command).strip();
        return KeyValues.parse(output.substring(output.lastIndexOf('\n') + 1));
    }

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        System.out.println(KeyValues.format(run(args[0], quick ? QUICK : FULL)));
    }
}

package dev.pyloom.benchmarks;

import dev.pyloom.ipc.Connection;
import dev.pyloom.ipc.Listener;
import dev.pyloom.multiprocessing.Task;
import dev.pyloom.multiprocessing.internal.ChildClasspath;
import dev.pyloom.multiprocessing.internal.JvmLauncher;
import dev.pyloom.multiprocessing.internal.Protocol;
import dev.pyloom.multiprocessing.internal.TaskRef;
import dev.pyloom.multiprocessing.internal.Wire;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Where a worker JVM's start goes: one worker started exactly as a pool starts it (its command
 * line, class path, class-data archive and bootstrap), on an idle machine, timed from the
 * parent's side phase by phase, with and without the archive; and a bare JVM that prints one
 * line, for the floor.
 *
 * <pre>java -cp ... dev.pyloom.benchmarks.WorkerStart [--quick]</pre>
 */
public final class WorkerStart {

    private WorkerStart() {}

    static int square(int x) {
        return x * x;
    }

    /** One worker's start, in milliseconds from the moment it was launched. */
    record Phases(double connected, double hello, double answered, double cpu, double rss, double exited) {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--hi")) {
            System.out.println("hi");
            return;
        }
        System.out.println(KeyValues.format(measure(List.of(args).contains("--quick") ? 2 : 5)));
    }

    /** The figures {@code main} prints: each phase's median over {@code runs} starts. */
    static Map<String, Double> measure(int runs) throws Exception {
        ChildClasspath classes = ChildClasspath.derive(List.of(WorkerStart.class));
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("bare_ms", median(bareJvm(classes, runs)));
        awaitArchive(classes);
        for (boolean archive : new boolean[] {true, false}) {
            List<Phases> all = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                all.add(start(classes, archive));
            }
            String suffix = archive ? "" : "_nocds";
            figures.put("connected_ms" + suffix, median(all.stream().map(Phases::connected).toList()));
            figures.put("hello_ms" + suffix, median(all.stream().map(Phases::hello).toList()));
            figures.put("answered_ms" + suffix, median(all.stream().map(Phases::answered).toList()));
            figures.put("cpu_ms" + suffix, median(all.stream().map(Phases::cpu).toList()));
            figures.put("rss_mib" + suffix, median(all.stream().map(Phases::rss).toList()));
            figures.put("exit_ms" + suffix, median(all.stream().map(Phases::exited).toList()));
        }
        return figures;
    }

    private static List<Double> bareJvm(ChildClasspath classes, int runs) throws Exception {
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
            command.addAll(List.of("-XX:+UseSerialGC", "-cp", String.join(java.io.File.pathSeparator, classes.classPath()),
                    WorkerStart.class.getName(), "--hi"));
            long start = System.nanoTime();
            Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (process.waitFor() != 0) {
                throw new IllegalStateException("the bare JVM failed: " + command);
            }
            times.add((System.nanoTime() - start) / 1e6);
        }
        return times;
    }

    /** The first workers of a class path start without an archive while a trainer records it. */
    private static void awaitArchive(ChildClasspath classes) throws Exception {
        if (!classes.classPath().stream().allMatch(entry -> entry.endsWith(".jar"))) {
            System.err.println("WorkerStart: the class path has directories, which cannot be archived; both rows are without");
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try (Listener listener = Listener.builder().authKey(new byte[32]).open()) {
                JvmLauncher.Started child = JvmLauncher.start(bootstrap(listener, new byte[32]), List.of(), classes, true);
                child.process().destroyForcibly();
                child.process().waitFor();
                if (child.usedArchive()) {
                    return;
                }
            }
            Thread.sleep(500); // the trainer records it in a few seconds (a benchmark's wait, not a test's)
        }
        System.err.println("WorkerStart: no class-data archive was recorded; both rows are without one");
    }

    private static Protocol.Bootstrap bootstrap(Listener listener, byte[] key) {
        String address = ((UnixDomainSocketAddress) listener.address()).getPath().toString();
        return new Protocol.Bootstrap("pool", "PoolWorker-1", true, address, Base64.getEncoder().encodeToString(key),
                "token", null, List.of(), null, null);
    }

    private static Phases start(ChildClasspath classes, boolean archive) throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Task.Call1<Integer, Integer> task = WorkerStart::square;
        byte[] job = Wire.job(1, Wire.encodeTask(TaskRef.of(task)), Wire.encodeCalls(List.of(1, 2, 3), true));
        Wire.Results results = Wire.resultsReader(int.class);
        try (Listener listener = Listener.builder().authKey(key).maxFrameBytes(Protocol.MAX_FRAME_BYTES).open()) {
            long start = System.nanoTime();
            JvmLauncher.Started child = JvmLauncher.start(bootstrap(listener, key), List.of(), classes, archive);
            Process process = child.process();
            try (Connection worker = listener.accept()) {
                double connected = (System.nanoTime() - start) / 1e6;
                worker.recvBytes();
                double hello = (System.nanoTime() - start) / 1e6;
                worker.sendBytes(job);
                Wire.readOutcome(worker.recvBytes(), results);
                double answered = (System.nanoTime() - start) / 1e6;
                double cpu = cpuMillis(process.pid());
                double rss = residentMiB(process.pid());
                long stop = System.nanoTime();
                worker.sendBytes(Wire.stop());
                process.waitFor();
                double exited = (System.nanoTime() - stop) / 1e6;
                return new Phases(connected, hello, answered, cpu, rss, exited);
            } finally {
                process.destroyForcibly();
                process.waitFor();
            }
        }
    }

    /** A process's CPU time so far (user and system), from Linux's /proc; NaN elsewhere. */
    static double cpuMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return ticks * 1000.0 / 100; // USER_HZ is 100 on Linux
        } catch (IOException | RuntimeException notLinux) {
            return Double.NaN;
        }
    }

    /** A process's resident memory now, from Linux's /proc; NaN elsewhere. */
    static double residentMiB(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                    .filter(line -> line.startsWith("VmRSS:"))
                    .mapToDouble(line -> Double.parseDouble(line.replaceAll("[^0-9]", "")) / 1024)
                    .findFirst().orElse(Double.NaN);
        } catch (IOException | RuntimeException notLinux) {
            return Double.NaN;
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}

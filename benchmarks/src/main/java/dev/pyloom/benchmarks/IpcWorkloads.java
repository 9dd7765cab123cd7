package dev.pyloom.benchmarks;

import dev.pyloom.ipc.Connection;
import dev.pyloom.ipc.Pipe;
import dev.pyloom.ipc.Queue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The pyloom side of the side-by-side ipc benchmarks: the workloads of
 * {@code python/ipc_bench.py}, between this JVM and child JVMs started from the same class path.
 *
 * <p>{@code java ... IpcWorkloads WORKLOAD [--quick]} runs one and prints {@code key=value}
 * figures; the {@code child-*} arguments are the children's side. As on the Python side, every
 * workload warms up before the clock starts, and children are started before it: the same
 * number of untimed messages on both sides, enough for every JVM involved to have compiled its
 * hot paths (five JVMs compiling at once on two cores take a few hundred thousand messages).
 * The figures are steady-state rates.
 */
public final class IpcWorkloads {

    private IpcWorkloads() {}

    /** The round trip's small object. */
    public record Small(int id, String name, List<Integer> values) {}

    /** About 100 bytes as JSON (Python's pickle of the same dict is 103). */
    public record Message(int id, String name, String payload) {}

    /** A queue item: which producer, which one, and the message. */
    public record Item(int producer, int seq, Message message) {}

    static final Small SMALL = new Small(12345, "a-name", List.of(1, 2, 3));
    static final Message MESSAGE = new Message(12345, "a-name", "x".repeat(50));

    record Sizes(int warmupTrips, int trips, int warmupMessages, int messages, int warmupBlobs, int blobs,
            int queueWarmup, int queueTotal) {}

    static final Sizes FULL = new Sizes(20_000, 20_000, 300_000, 1_000_000, 300, 2_000, 300_000, 1_000_000);
    static final Sizes QUICK = new Sizes(200, 1_000, 1_000, 10_000, 20, 100, 500, 10_000);

    static Map<String, Double> run(String workload, Sizes sizes) throws Exception {
        return switch (workload) {
            case "roundtrip" -> Map.of("value", roundTrip(sizes));
            case "small" -> Map.of("value", smallMessages(sizes));
            case "megabytes" -> Map.of("value", megabytes(sizes));
            case "queue1" -> Map.of("value", queueThroughput(sizes, 1));
            case "queue4" -> Map.of("value", queueThroughput(sizes, 4));
            case "queue-children" -> Map.of("value", queueBetweenChildren(sizes));
            default -> throw new IllegalArgumentException("unknown workload: " + workload);
        };
    }

    /** µs per round trip of a small object between this JVM and a child. */
    static double roundTrip(Sizes sizes) throws Exception {
        Pipe pipe = Pipe.open();
        try (Child child = Child.start("child-echo", pipe.conn2().toHandle()); Connection conn = pipe.conn1()) {
            for (int i = 0; i < sizes.warmupTrips(); i++) {
                conn.send(SMALL);
                conn.recv(Small.class);
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < sizes.trips(); i++) {
                conn.send(SMALL);
                conn.recv(Small.class);
            }
            long elapsed = System.nanoTime() - t0;
            conn.send(null);
            child.await();
            return elapsed / 1e3 / sizes.trips();
        }
    }

    /** Messages of about 100 bytes per second, one way, to a child. */
    static double smallMessages(Sizes sizes) throws Exception {
        return sizes.messages() / oneWay("child-sink", sizes.warmupMessages(), sizes.messages(), conn -> conn.send(MESSAGE));
    }

    /** MB per second of 1 MiB byte payloads, one way, to a child. */
    static double megabytes(Sizes sizes) throws Exception {
        byte[] blob = new byte[1 << 20];
        java.util.Arrays.fill(blob, (byte) 'x');
        return sizes.blobs() / oneWay("child-bytes-sink", sizes.warmupBlobs(), sizes.blobs(), conn -> conn.sendBytes(blob));
    }

    private interface Send {
        void send(Connection conn) throws Exception;
    }

    /**
     * Seconds to send {@code count} messages to a child until it says it has them all, after
     * {@code warmup} messages to the same child that are not timed.
     */
    private static double oneWay(String childRole, int warmup, int count, Send send) throws Exception {
        Pipe pipe = Pipe.open();
        try (Child child = Child.start(childRole, pipe.conn2().toHandle(), String.valueOf(warmup), String.valueOf(count));
                Connection conn = pipe.conn1()) {
            for (int i = 0; i < warmup; i++) {
                send.send(conn);
            }
            conn.recv(); // the child has received the warm-up
            long t0 = System.nanoTime();
            for (int i = 0; i < count; i++) {
                send.send(conn);
            }
            conn.recv();
            double elapsed = (System.nanoTime() - t0) / 1e9;
            child.await();
            return elapsed;
        }
    }

    /** Messages per second through one Queue, from {@code producers} child JVMs to this one. */
    static double queueThroughput(Sizes sizes, int producers) throws Exception {
        Queue<Item> queue = Queue.of(Item.class);
        int each = sizes.queueTotal() / producers;
        List<Child> children = new ArrayList<>();
        List<Connection> goSignals = new ArrayList<>();
        try {
            for (int p = 0; p < producers; p++) {
                Pipe go = Pipe.open();
                goSignals.add(go.conn1());
                children.add(Child.start("child-producer", queue.toHandle(), go.conn2().toHandle(),
                        String.valueOf(p), String.valueOf(sizes.queueWarmup()), String.valueOf(each)));
            }
            for (int i = 0; i < sizes.queueWarmup() * producers; i++) {
                queue.get();
            }
            long t0 = System.nanoTime();
            for (Connection go : goSignals) {
                go.send("go");
            }
            for (int i = 0; i < each * producers; i++) {
                queue.get();
            }
            double elapsed = (System.nanoTime() - t0) / 1e9;
            for (Child child : children) {
                child.await();
            }
            return each * producers / elapsed;
        } finally {
            for (Child child : children) {
                child.close();
            }
            for (Connection go : goSignals) {
                go.close();
            }
        }
    }

    /**
     * Messages per second through one Queue of this JVM from a producer child to a consumer
     * child: the tutorial's writer and reader, neither of them the queue's owner. Timed from the
     * producer's go to the consumer's last item.
     */
    static double queueBetweenChildren(Sizes sizes) throws Exception {
        Queue<Item> queue = Queue.of(Item.class);
        Pipe producerGo = Pipe.open();
        Pipe consumerSays = Pipe.open();
        try (Child producer = Child.start("child-producer", queue.toHandle(), producerGo.conn2().toHandle(),
                        "0", String.valueOf(sizes.queueWarmup()), String.valueOf(sizes.queueTotal()));
                Child consumer = Child.start("child-consumer", queue.toHandle(), consumerSays.conn2().toHandle(),
                        String.valueOf(sizes.queueWarmup()), String.valueOf(sizes.queueTotal()));
                Connection go = producerGo.conn1();
                Connection says = consumerSays.conn1()) {
            says.recv(); // the consumer has the warm-up
            long t0 = System.nanoTime();
            go.send("go");
            says.recv();
            double elapsed = (System.nanoTime() - t0) / 1e9;
            producer.await();
            consumer.await();
            return sizes.queueTotal() / elapsed;
        }
    }

    // ------------------------------------------------------------------ the children's side

    static void childEcho(String handle) throws Exception {
        try (Connection conn = Connection.fromHandle(handle)) {
            for (Small message = conn.recv(Small.class); message != null; message = conn.recv(Small.class)) {
                conn.send(message);
            }
        }
    }

    static void childSink(String handle, int warmup, int count, boolean bytes) throws Exception {
        try (Connection conn = Connection.fromHandle(handle)) {
            receive(conn, warmup, bytes);
            conn.send("warm");
            receive(conn, count, bytes);
            conn.send("done");
        }
    }

    private static void receive(Connection conn, int count, boolean bytes) throws Exception {
        for (int i = 0; i < count; i++) {
            if (bytes) {
                conn.recvBytes();
            } else {
                conn.recv(Message.class);
            }
        }
    }

    static void childProducer(String queueHandle, String goHandle, int producer, int warmup, int count) throws Exception {
        try (Queue<Item> queue = Queue.fromHandle(queueHandle, Item.class); Connection go = Connection.fromHandle(goHandle)) {
            for (int i = 0; i < warmup; i++) {
                queue.put(new Item(producer, i, MESSAGE));
            }
            go.recv();
            for (int i = 0; i < count; i++) {
                queue.put(new Item(producer, i, MESSAGE));
            }
        }
    }

    static void childConsumer(String queueHandle, String saysHandle, int warmup, int count) throws Exception {
        try (Queue<Item> queue = Queue.fromHandle(queueHandle, Item.class); Connection says = Connection.fromHandle(saysHandle)) {
            for (int i = 0; i < warmup; i++) {
                queue.get();
            }
            says.send("warm");
            for (int i = 0; i < count; i++) {
                queue.get();
            }
            says.send("done");
        }
    }

    /** A child JVM running one of the child roles; always reaped. */
    private static final class Child implements AutoCloseable {
        private final Process process;

        private Child(Process process) {
            this.process = process;
        }

        static Child start(String role, String... args) throws Exception {
            List<String> command = new ArrayList<>(List.of(
                    ProcessHandle.current().info().command().orElse("java"),
                    "-cp", System.getProperty("java.class.path"), IpcWorkloads.class.getName(), role));
            command.addAll(List.of(args));
            return new Child(new ProcessBuilder(command).inheritIO().start());
        }

        void await() throws Exception {
            if (process.waitFor() != 0) {
                throw new IllegalStateException("child exited with " + process.exitValue());
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "child-echo" -> childEcho(args[1]);
            case "child-sink" -> childSink(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), false);
            case "child-bytes-sink" -> childSink(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), true);
            case "child-producer" -> childProducer(args[1], args[2], Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), Integer.parseInt(args[5]));
            case "child-consumer" -> childConsumer(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            default -> {
                boolean quick = List.of(args).contains("--quick");
                System.out.println(KeyValues.format(run(args[0], quick ? QUICK : FULL)));
            }
        }
    }
}

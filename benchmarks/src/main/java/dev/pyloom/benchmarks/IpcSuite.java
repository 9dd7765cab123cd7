package dev.pyloom.benchmarks;

import java.util.List;

/** The ipc module against CPython's {@code multiprocessing} Pipe and Queue; see {@link IpcWorkloads}. */
final class IpcSuite implements Suite {

    @Override
    public String name() {
        return "ipc";
    }

    @Override
    public String pythonScript() {
        return "ipc_bench.py";
    }

    @Override
    public Class<?> javaMain() {
        return IpcWorkloads.class;
    }

    @Override
    public List<Row> rows() {
        return List.of(
                new Row("roundtrip", "value", "Pipe round trip of a small object, parent <-> child", "us"),
                new Row("small", "value", "one way, ~100-byte messages", "msgs/s", Better.HIGHER),
                new Row("megabytes", "value", "one way, 1 MB byte payloads", "MB/s", Better.HIGHER),
                new Row("queue1", "value", "Queue, 1 producer process -> 1 consumer", "msgs/s", Better.HIGHER),
                new Row("queue4", "value", "Queue, 4 producer processes -> 1 consumer", "msgs/s", Better.HIGHER),
                new Row("queue-children", "value", "Queue, producer process -> consumer process (owned by a third)",
                        "msgs/s", Better.HIGHER));
    }

    @Override
    public List<String> notes(List<String> workloads) {
        return List.of("Children are started and warmed up before the clock starts, on both sides.");
    }
}

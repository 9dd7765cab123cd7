/**
 * Python's {@code multiprocessing} for Java 21+: processes and a process pool whose workers are
 * JVMs, with tasks and results as JSON over {@code dev.pyloom.ipc}.
 *
 * <p>{@code dev.pyloom.multiprocessing} is exported; {@code dev.pyloom.multiprocessing.spi}, what a
 * pool across machines needs of a pool, only to pyloom-cluster. The wire protocol's records in
 * {@code dev.pyloom.multiprocessing.internal} are opened to Jackson, which reads and writes them.
 */
module dev.pyloom.multiprocessing {
    requires transitive dev.pyloom.ipc;
    // pyloom's internal helpers (the rule for timeouts, pyloom's service threads)
    requires dev.pyloom.common;
    // the module options a child JVM is started with are this JVM's (ChildClasspath), and a
    // class-data archive's trainer writes it through the diagnostic-command MBean
    requires java.management;
    // the JFR events a profiler sees (PoolTaskEvent, WorkerStartEvent)
    requires jdk.jfr;

    exports dev.pyloom.multiprocessing;
    exports dev.pyloom.multiprocessing.spi to dev.pyloom.cluster;

    opens dev.pyloom.multiprocessing.internal to tools.jackson.databind;
}

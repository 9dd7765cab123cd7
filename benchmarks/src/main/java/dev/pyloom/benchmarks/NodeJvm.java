package dev.pyloom.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A cluster node in a JVM of its own, as a deployment runs one: {@code dev.pyloom.cluster.Node}'s
 * {@code main}, ready once it prints that it is running. Its standard output is read here (it
 * must not mix with the workload's {@code key=value} line); its standard error is this JVM's.
 *
 * <p>{@link #close()} stops the node as its operator does, with {@code SIGTERM} (it leaves the
 * cluster and stops its workers), then kills whatever is left of it and its workers, and waits
 * until they are all gone.
 */
final class NodeJvm implements AutoCloseable {

    /** What {@code Node.main} prints once its member has joined the cluster. */
    private static final String RUNNING = " is running";

    /** How long a node stopped with {@code SIGTERM} may take to leave the cluster before it is killed. */
    private static final Duration LEAVING = Duration.ofSeconds(15);

    private final String name;
    private final Process process;
    private final CountDownLatch running = new CountDownLatch(1);
    // the node's workers, noted before a signal: a killed node's workers are no longer its descendants
    private final Set<ProcessHandle> workers = new LinkedHashSet<>();
    private boolean signalled; // killed or frozen: SIGTERM would not stop it

    private NodeJvm(String name, Process process) {
        this.name = name;
        this.process = process;
    }

    /**
     * Runs {@code command} (a node's {@code java} command line) and returns once the node says
     * it is running.
     *
     * @throws IOException if it exits first, or does not say so within {@code patience} (it is then killed)
     */
    static NodeJvm start(String name, List<String> command, Duration patience) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        process.getOutputStream().close();
        NodeJvm node = new NodeJvm(name, process);
        Thread.ofVirtual().name("node-" + name + "-stdout").start(node::readOutput);
        boolean said;
        try {
            said = node.running.await(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            node.close();
            throw e;
        }
        if (!said || !process.isAlive()) {
            node.close();
            throw new IOException("node " + name + (said ? " exited with code " + process.exitValue() + " before it ran"
                    : " did not say it was running within " + patience.toSeconds() + " s") + ": " + command);
        }
        return node;
    }

    /** Counts the running line down, and reads on to the end so that the node never blocks writing. */
    private void readOutput() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("pyloom node") && line.endsWith(RUNNING)) {
                    running.countDown();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            running.countDown(); // it exited: start() looks at why
        }
    }

    String name() {
        return name;
    }

    /** Sends the node's JVM {@code signal} ({@code KILL}, {@code STOP}) and returns once it is sent. */
    void signal(String signal) throws IOException, InterruptedException {
        noteWorkers();
        signalled = true;
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + signal + " " + process.pid() + " exited with code " + kill.exitValue());
        }
    }

    private void noteWorkers() {
        process.descendants().forEach(workers::add);
    }

    /** Stops the node's JVM (SIGTERM, then SIGKILL if need be) and its workers, and waits until all of them are gone. */
    @Override
    public void close() throws InterruptedException {
        noteWorkers();
        if (!signalled && process.isAlive()) {
            process.destroy();
            process.waitFor(LEAVING.toMillis(), TimeUnit.MILLISECONDS);
        }
        List<ProcessHandle> all = new ArrayList<>(workers);
        all.add(process.toHandle());
        for (ProcessHandle each : all) {
            each.destroyForcibly(); // SIGKILL ends a stopped process too
        }
        for (ProcessHandle each : all) {
            try {
                each.onExit().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException stuck) {
                throw new IllegalStateException("process " + each.pid() + " of node " + name + " did not exit", stuck);
            }
        }
    }
}

package dev.pyloom.multiprocessing.internal;

import dev.pyloom.ipc.Client;
import dev.pyloom.ipc.Connection;
import dev.pyloom.ipc.Json;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The main class of every child JVM: reads its {@link Protocol.Bootstrap} from standard input,
 * then either serves a Pool (connect back, run jobs until told to stop) or runs one PyProcess
 * target and exits with Python's status codes (0, or 1 after printing the traceback).
 *
 * <p>Whatever the role, a daemon thread keeps reading standard input: its end means the parent
 * is gone (even if it was killed), and the child halts at once, as no worker should outlive the
 * program that started it.
 */
public final class WorkerMain {

    /** System property holding the child's name, for {@code PyProcess.current()}. */
    public static final String NAME_PROPERTY = "pyloom.process.name";
    /** System property set to "true" in a daemon child. */
    public static final String DAEMON_PROPERTY = "pyloom.process.daemon";

    /** Exit status when the parent is gone. */
    static final int PARENT_GONE = 70;

    /** Exit status when a pool's initializer threw (3 is the JVM's own, for ExitOnOutOfMemoryError). */
    static final int INITIALIZER_FAILED = 4;

    private WorkerMain() {}

    public static void main(String[] args) throws Exception {
        InputStream stdin = System.in;
        String line = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8), 1).readLine();
        if (line == null) {
            Runtime.getRuntime().halt(PARENT_GONE);
        }
        Thread.ofPlatform().daemon().name("pyloom-parent-watch").start(() -> watchParent(stdin));
        LineOutput.install();
        Protocol.Bootstrap bootstrap = JsonMapper.builder().build().readValue(line, Protocol.Bootstrap.class);
        System.setProperty(NAME_PROPERTY, bootstrap.name());
        System.setProperty(DAEMON_PROPERTY, String.valueOf(bootstrap.daemon()));
        if ("pool".equals(bootstrap.role())) {
            serve(bootstrap);
            System.exit(0);
        } else {
            System.exit(runTarget(bootstrap));
        }
    }

    private static void watchParent(InputStream stdin) {
        try {
            while (stdin.read() >= 0) {
                // nothing more is ever sent; only the end matters
            }
        } catch (java.io.IOException gone) {
            // the same
        }
        Runtime.getRuntime().halt(PARENT_GONE);
    }

    /** A PyProcess: run the target, Python's exit codes. */
    private static int runTarget(Protocol.Bootstrap bootstrap) {
        try {
            Invocation.resolve(bootstrap.target(), WorkerMain.class.getClassLoader()).invoke(bootstrap.args());
            return 0;
        } catch (Throwable failure) {
            StringWriter text = new StringWriter();
            PrintWriter out = new PrintWriter(text);
            out.println("Process " + bootstrap.name() + ":");
            failure.printStackTrace(out);
            out.flush();
            System.err.print(text);
            System.err.flush();
            return 1;
        }
    }

    /**
     * A Pool worker: run the initializer, connect back, then run jobs until told to stop. A
     * failing initializer ends the worker before it connects (status 4, traceback on standard
     * error), which the pool reports with the next task instead of waiting for the worker.
     */
    private static void serve(Protocol.Bootstrap bootstrap) throws Exception {
        if (bootstrap.initializer() != null) {
            try {
                Invocation.resolve(bootstrap.initializer(), WorkerMain.class.getClassLoader()).invoke(bootstrap.initArgs());
            } catch (Throwable failure) {
                System.err.println("Pool worker " + bootstrap.name() + ": the initializer failed:");
                failure.printStackTrace();
                System.exit(INITIALIZER_FAILED);
            }
        }
        byte[] key = Base64.getDecoder().decode(bootstrap.key());
        try (Connection pool = Client.connect(UnixDomainSocketAddress.of(bootstrap.address()), key)) {
            pool.send(new Protocol.Hello(bootstrap.token(), ProcessHandle.current().pid()));
            for (;;) {
                Protocol.Order order = pool.recv(Protocol.Order.class);
                if (order.job() == null) {
                    return;
                }
                pool.send(run(order.job()));
            }
        }
    }

    private static Protocol.Done run(Protocol.Job job) {
        List<JsonNode> results = new ArrayList<>(job.calls().size());
        Invocation invocation;
        try {
            invocation = Invocation.resolve(job.task(), WorkerMain.class.getClassLoader());
        } catch (RuntimeException unresolvable) {
            return new Protocol.Done(job.id(), results, Failure.of(unresolvable));
        }
        for (List<JsonNode> call : job.calls()) {
            Object result;
            try {
                result = invocation.invoke(call);
            } catch (Throwable failure) {
                return new Protocol.Done(job.id(), results, Failure.of(failure));
            }
            try {
                results.add(Json.toTree(result));
            } catch (IllegalArgumentException cannotEncode) {
                return new Protocol.Done(job.id(), results, Failure.of(new IllegalArgumentException(
                        "the result of task " + job.task().describe() + " cannot be sent back: " + cannotEncode.getMessage())));
            }
        }
        return new Protocol.Done(job.id(), results, null);
    }
}

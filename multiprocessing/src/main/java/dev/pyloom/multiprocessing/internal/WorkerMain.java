package dev.pyloom.multiprocessing.internal;

import dev.pyloom.common.ShutdownCause;
import dev.pyloom.ipc.Client;
import dev.pyloom.ipc.Connection;
import dev.pyloom.ipc.FrameTooLargeException;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;

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
    public static final int INITIALIZER_FAILED = 4;

    /** The argument that makes this JVM a class-data archive's trainer (see {@link ClassDataArchive}). */
    static final String RECORD_ARCHIVE = "--record-class-data";

    private WorkerMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals(RECORD_ARCHIVE)) {
            ArchiveTrainer.record(java.nio.file.Path.of(args[1]));
            return;
        }
        FileChannel stdin = new FileInputStream(FileDescriptor.in).getChannel();
        String line = new BufferedReader(new InputStreamReader(Channels.newInputStream(stdin), StandardCharsets.UTF_8)).readLine();
        if (line == null) {
            Runtime.getRuntime().halt(PARENT_GONE);
        }
        watchParent(stdin);
        System.setIn(InputStream.nullInputStream()); // as Python's children: their input is not the parent's pipe
        LineOutput.install();
        Protocol.Bootstrap bootstrap = Protocol.Bootstrap.decode(line);
        System.setProperty(NAME_PROPERTY, bootstrap.name());
        System.setProperty(DAEMON_PROPERTY, String.valueOf(bootstrap.daemon()));
        if ("pool".equals(bootstrap.role())) {
            serve(bootstrap);
            System.exit(0);
        } else {
            int status = runTarget(bootstrap);
            awaitOtherThreads();
            System.exit(status);
        }
    }

    /**
     * Waits for the non-daemon threads the target started, as Python's process does (and as a
     * JVM does when {@code main} returns) before it exits with the target's status.
     */
    private static void awaitOtherThreads() throws InterruptedException {
        for (;;) {
            Thread running = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t != Thread.currentThread() && !t.isDaemon() && t.isAlive())
                    .findFirst().orElse(null);
            if (running == null) {
                return;
            }
            running.join();
        }
    }

    /*
     * Reads standard input to its end, which comes when the parent has died, and then halts.
     * Before that, a pool's parent writes a line there to interrupt a job (see Interrupts).
     * The read is on an interruptible channel, closed when this JVM exits on its own: a thread
     * left blocked in a native read would hold up the JVM's exit by a third of a second.
     */
    private static void watchParent(FileChannel stdin) {
        AtomicBoolean exiting = new AtomicBoolean();
        Thread.ofPlatform().daemon().name("pyloom-parent-watch").start(() -> {
            ByteBuffer bytes = ByteBuffer.allocate(256);
            StringBuilder line = new StringBuilder();
            try {
                while (stdin.read(bytes.clear()) >= 0) {
                    bytes.flip();
                    while (bytes.hasRemaining()) {
                        char c = (char) bytes.get();
                        if (c == '\n') {
                            Interrupts.command(line.toString());
                            line.setLength(0);
                        } else if (line.length() < 64) {
                            line.append(c);
                        }
                    }
                }
            } catch (IOException gone) {
                if (exiting.get()) {
                    return;
                }
            }
            Runtime.getRuntime().halt(PARENT_GONE);
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            exiting.set(true);
            try {
                stdin.close();
            } catch (IOException ignored) {
                // exiting anyway
            }
        }, "pyloom-parent-watch-stop"));
    }

    /** A PyProcess: run the target, Python's exit codes. */
    private static int runTarget(Protocol.Bootstrap bootstrap) {
        try {
            Invocation target = Invocation.resolve(bootstrap.target(), WorkerMain.class.getClassLoader());
            Bootstrapping.initialize(target.declaringClass());
            target.invoke(bootstrap.args());
            return 0;
        } catch (Throwable thrown) {
            if (ShutdownCause.signal() != null) {
                // Terminated: the JVM's stopping (its exit step closes the queues and pipes the
                // target waits on) made it fail. A Python process dies of the signal, silently.
                return 1;
            }
            Throwable failure = Bootstrapping.unwrap(thrown);
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
                Invocation initializer = Invocation.resolve(bootstrap.initializer(), WorkerMain.class.getClassLoader());
                Bootstrapping.initialize(initializer.declaringClass());
                initializer.invoke(bootstrap.initArgs());
            } catch (Throwable failure) {
                System.err.println("Pool worker " + bootstrap.name() + ": the initializer failed:");
                failure.printStackTrace();
                System.exit(INITIALIZER_FAILED);
            }
        }
        byte[] key = Base64.getDecoder().decode(bootstrap.key());
        Invocation.Cache tasks = new Invocation.Cache(WorkerMain.class.getClassLoader());
        try (Connection pool = Client.connect(UnixDomainSocketAddress.of(bootstrap.address()), key, Protocol.MAX_FRAME_BYTES)) {
            pool.sendBytes(new Protocol.Hello(bootstrap.token(), ProcessHandle.current().pid()).encode());
            for (;;) {
                Wire.Job job = Wire.readJob(pool.recvBytes(), tasks);
                if (job.stop()) {
                    return;
                }
                byte[] answer;
                if (job.unreadable() != null) {
                    answer = Wire.failure(job.id(), Failure.of(job.unreadable()));
                } else if (!Interrupts.starting(job.id())) {
                    answer = Wire.failure(job.id(), Failure.of(new CancellationException("cancelled before it started")));
                } else {
                    try {
                        answer = run(job);
                    } finally {
                        Interrupts.finished();
                    }
                }
                try {
                    pool.sendBytes(answer);
                } catch (FrameTooLargeException tooLarge) {
                    pool.sendBytes(Wire.failure(job.id(), Failure.of(new IllegalArgumentException("the results of task "
                            + job.task().ref().describe() + " are " + tooLarge.length() + " bytes as JSON, over the "
                            + tooLarge.limit() + "-byte limit of a pool's messages"))));
                }
            }
        }
    }

    static byte[] run(Wire.Job job) {
        List<Object> results = new ArrayList<>(job.calls().size());
        try {
            Bootstrapping.initialize(job.task().declaringClass());
        } catch (Throwable failure) {
            return Wire.failure(job.id(), Failure.of(Bootstrapping.unwrap(failure)));
        }
        for (Object[] call : job.calls()) {
            try {
                results.add(job.task().invoke(job.captured(), call));
            } catch (Throwable failure) {
                return Wire.failure(job.id(), Failure.of(Bootstrapping.unwrap(failure)));
            }
        }
        try {
            return Wire.results(job.id(), results);
        } catch (RuntimeException cannotEncode) {
            return Wire.failure(job.id(), Failure.of(new IllegalArgumentException("the result of task "
                    + job.task().ref().describe() + " cannot be sent back: " + cannotEncode.getMessage())));
        } catch (OutOfMemoryError tooLarge) {
            results.clear();
            return Wire.failure(job.id(), Failure.of(new IllegalArgumentException("the results of task "
                    + job.task().ref().describe() + " cannot be sent back: as JSON they are larger than an array can hold ("
                    + tooLarge.getMessage() + "), over the " + Protocol.MAX_FRAME_BYTES + "-byte limit of a pool's messages")));
        }
    }
}

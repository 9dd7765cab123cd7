package dev.pyloom.asyncio.streams;

import dev.pyloom.asyncio.Asyncio;
import dev.pyloom.asyncio.CancelledException;
import dev.pyloom.asyncio.EventLoop;
import dev.pyloom.asyncio.Future;
import dev.pyloom.asyncio.Task;
import dev.pyloom.asyncio.internal.LoopAccess;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ProcessBuilder.Redirect;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A child process run from the loop: Python's {@code asyncio.subprocess.Process} (named so as not
 * to shadow {@code java.lang.Process}), made by {@link Streams#createSubprocessExec}.
 *
 * <p>Its piped stdin is a {@link StreamWriter} and its piped stdout and stderr are
 * {@link StreamReader}s, moved by the same pump threads as a socket's; waiting for the child's
 * exit is a wait on a loop future that the JDK's process reaper completes. So every wait here is
 * an await point, and the loop runs other coroutines meanwhile.
 *
 * <pre>{@code
 * Subprocess tr = Streams.createSubprocessExec("tr", "a-z", "A-Z");
 * Subprocess.Output out = tr.communicate("hello".getBytes(UTF_8));   // stdout "HELLO"
 * int code = tr.returncode().getAsInt();                             // 0
 * }</pre>
 *
 * <p>A child still running when its loop closes is killed, so none outlives the loop.
 *
 * <p>Not thread-safe: only the loop's coroutines and callbacks may call it.
 */
public final class Subprocess {

    private static final LoopAccess ACCESS = LoopAccess.get();

    /** What {@link #communicate} collected; a stream that was not piped is null. */
    public record Output(byte[] stdout, byte[] stderr) {}

    private final EventLoop loop;
    private final Process process;
    private final PipeTransport stdinPipe; // stdin's transport; null unless stdin is piped
    private final StreamWriter stdin;
    private final StreamReader stdout;
    private final StreamReader stderr;
    private final Future<Integer> exited; // completed on the loop with Python's returncode
    private final Killer killer;   // kills the child if the loop closes first

    private Subprocess(EventLoop loop, Process process, Killer killer, PipeTransport stdinPipe,
                       StreamReader stdout, StreamReader stderr) {
        this.loop = loop;
        this.process = process;
        this.killer = killer;
        this.stdinPipe = stdinPipe;
        this.stdin = stdinPipe != null ? new StreamWriter(stdinPipe, null) : null;
        this.stdout = stdout;
        this.stderr = stderr;
        this.exited = loop.createFuture();
    }

    /*
     * Starting the child (fork and exec, a few milliseconds) happens on the loop, as in CPython;
     * what follows never blocks: the pumps and the reaper wait, outside the loop.
     */
    static Subprocess start(ProcessBuilder builder, int limit) throws IOException {
        Objects.requireNonNull(builder, "builder");
        if (builder.command().isEmpty()) {
            throw new IllegalArgumentException("no program to run: the command is empty");
        }
        EventLoop loop = ACCESS.running("createSubprocessExec");
        Process process = builder.start();
        Killer killer = new Killer(process);
        if (!ACCESS.remember(loop, killer)) { // then the loop has killed it already
            throw new IllegalStateException("Event loop is closed");
        }
        PipeTransport stdinPipe = null;
        if (builder.redirectInput() == Redirect.PIPE) {
            stdinPipe = PipeTransport.writing(loop, process.getOutputStream());
            stdinPipe.start(null);
        }
        StreamReader stdout = builder.redirectOutput() == Redirect.PIPE
                ? readerOf(loop, process.getInputStream(), limit) : null;
        StreamReader stderr = builder.redirectError() == Redirect.PIPE && !builder.redirectErrorStream()
                ? readerOf(loop, process.getErrorStream(), limit) : null;
        Subprocess child = new Subprocess(loop, process, killer, stdinPipe, stdout, stderr);
        process.onExit().whenComplete((done, failure) -> ACCESS.callSoonThreadsafeIfOpen(loop, child::exited));
        return child;
    }

    private static StreamReader readerOf(EventLoop loop, InputStream pipe, int limit) {
        StreamReader reader = new StreamReader(loop, limit);
        PipeTransport.reading(loop, pipe).start(reader);
        return reader;
    }

    /*
     * On the loop, when the reaper has seen the child exit. Its stdin goes as a broken pipe
     * would (the JDK has closed the pipe already): later writes are dropped, drain() fails with
     * an IOException, and the write pump ends. Not a close(): writing to a child that has just
     * exited is not the caller's error (communicate() with a quick child does it).
     */
    private void exited() {
        ACCESS.forget(loop, killer);
        if (stdinPipe != null) {
            stdinPipe.peerGone(new IOException("Broken pipe: the child process has exited"));
        }
        exited.setResult(returncodeOf(process.exitValue()));
    }

    /*
     * The JDK reports a child killed by signal N as exit status 128 + N (the shell's convention);
     * Python reports -N. A child that calls exit(128 + N) itself reads -N here too: the JDK does
     * not tell the two apart.
     */
    static int returncodeOf(int exitValue) {
        return exitValue > 128 && exitValue <= 128 + 64 ? -(exitValue - 128) : exitValue;
    }

    /** The child's process id. Python's {@code pid}. */
    public long pid() {
        return process.pid();
    }

    /** The child's stdin, if piped; null otherwise. Python's {@code stdin}. */
    public StreamWriter stdin() {
        return stdin;
    }

    /** The child's stdout, if piped; null otherwise. Python's {@code stdout}. */
    public StreamReader stdout() {
        return stdout;
    }

    /** The child's stderr, if piped separately; null otherwise. Python's {@code stderr}. */
    public StreamReader stderr() {
        return stderr;
    }

    /**
     * The exit status once the child has exited (and the loop has seen it), empty while it runs:
     * the program's exit code, or minus the signal number that killed it. Python's
     * {@code returncode}.
     */
    public OptionalInt returncode() {
        return exited.done() ? OptionalInt.of(resultNow()) : OptionalInt.empty();
    }

    private int resultNow() {
        try {
            return exited.result();
        } catch (Exception impossible) { // exited is only ever completed with a value
            throw new IllegalStateException(impossible);
        }
    }

    /**
     * Waits for the child to exit and returns its {@link #returncode()}. Python's {@code wait()}
     * (not named {@code wait}: {@code java.lang.Object} owns it). An await point. With piped
     * output nobody reads, the child may block on a full pipe: read it, or use {@link #communicate}.
     *
     * @throws CancelledException if the task is cancelled while waiting; the child runs on
     */
    public int await() {
        ACCESS.requireLoopThread(loop, "Subprocess.await");
        if (!exited.done()) {
            // Shielded, as every waiter shares the exit: a cancelled wait (a waitFor that timed
            // out) ends that wait only, as CPython's wait() with a waiter of its own.
            ACCESS.awaitDone("Subprocess.await", Asyncio.shield(exited));
        }
        return resultNow();
    }

    /**
     * Writes {@code input} (if not null) to the child's stdin and closes it, reads its stdout and
     * stderr to their ends, and waits for it to exit. Python's {@code communicate(input)}. An
     * await point.
     *
     * @return what the child wrote; a stream that is not piped gives null
     * @throws IllegalArgumentException if {@code input} is given but stdin is not piped
     * @throws IOException              if reading the child's output fails
     * @throws CancelledException       if cancelled (or timed out by waitFor): its readers and its
     *                                  feeding of stdin are cancelled with it, stdin is closed, and
     *                                  the output read so far is lost, as in CPython
     */
    public Output communicate(byte[] input) throws Exception {
        ACCESS.requireLoopThread(loop, "communicate");
        if (input != null && stdin == null) {
            throw new IllegalArgumentException("communicate(input) needs a piped stdin");
        }
        // Three tasks gathered, as CPython's: cancelling communicate() (or its timeout) cancels
        // all three, so none is left reading the child's output or holding its stdin open.
        List<Task<?>> parts = new ArrayList<>(3);
        Task<byte[]> out = stdout == null ? null : loop.createTask(() -> stdout.read(-1));
        Task<byte[]> err = stderr == null ? null : loop.createTask(() -> stderr.read(-1));
        if (out != null) {
            parts.add(out);
        }
        if (err != null) {
            parts.add(err);
        }
        if (stdin != null) {
            parts.add(loop.createTask(() -> feedStdin(input)));
        }
        Asyncio.gather(parts);
        await();
        return new Output(out == null ? null : out.result(), err == null ? null : err.result());
    }

    /*
     * CPython's _feed_stdin: a child that exits without reading all its input is not an error.
     * Stdin is closed however this ends, cancellation included, so the child sees its input end.
     */
    private void feedStdin(byte[] input) {
        try {
            if (input != null && !stdin.isClosing()) {
                stdin.write(input);
                stdin.drain();
            }
        } catch (IOException childStoppedReading) {
            // BrokenPipeError / ConnectionResetError are ignored, as in Python
        } finally {
            stdin.close();
        }
    }

    /** Asks the child to stop (SIGTERM on Unix). Python's {@code terminate()}. Does nothing once it has exited. */
    public void terminate() {
        process.destroy();
    }

    /** Kills the child (SIGKILL on Unix). Python's {@code kill()}. Does nothing once it has exited. */
    public void kill() {
        process.destroyForcibly();
    }

    @Override
    public String toString() {
        return "Subprocess[pid=" + process.pid() + ", returncode=" + returncode() + "]";
    }

    /** What the loop closes to kill a child it outlives (and, after a signal, before the JVM halts). */
    record Killer(Process process) implements LoopAccess.ChildProcess {
        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}

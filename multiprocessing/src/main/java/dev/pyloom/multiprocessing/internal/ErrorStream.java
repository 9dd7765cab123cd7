package dev.pyloom.multiprocessing.internal;

import dev.pyloom.common.ServiceThreads;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A child JVM's standard error, copied to this JVM's a whole line at a time by a thread of its
 * own, with its first lines kept: when a child fails to start (a bad JVM option, a missing
 * class, an agent that will not load, a failing initializer), the JVM says why only there, and
 * the exception that reports the failure quotes it.
 *
 * <p>The lines go to {@code System.err} as it is when each arrives, so a program (or a test
 * runner) that redirects its standard error also gets its children's.
 */
public final class ErrorStream {

    /** How much of the start of the stream is kept for messages. */
    static final int HEAD_LINES = 12;
    static final int HEAD_CHARS = 2_000;

    /** How many of the last lines are kept, for a child that dies, and how much of each. */
    static final int TAIL_LINES = 8;
    static final int TAIL_LINE_CHARS = 300;

    /** The longest line written in one piece; longer ones are written in pieces of this size. */
    private static final int MAX_LINE = 64 << 10;

    private final ReentrantLock lock = new ReentrantLock();
    private final StringBuilder head = new StringBuilder(); // guarded by lock
    private int headLines;                                  // guarded by lock
    private final java.util.ArrayDeque<String> tail = new java.util.ArrayDeque<>(); // guarded by lock
    private String headline;                                // the last line that is not a stack frame; guarded by lock
    private final CompletableFuture<Void> ended = new CompletableFuture<>();

    private ErrorStream() {}

    /** Starts copying {@code process}'s standard error. */
    static ErrorStream pump(Process process, String name) {
        return pump(process.getErrorStream(), name);
    }

    /** Starts copying {@code in} to this JVM's standard error. */
    static ErrorStream pump(InputStream in, String name) {
        ErrorStream stream = new ErrorStream();
        ServiceThreads.daemon("pyloom-stderr " + name).stackSize(256 << 10).start(() -> stream.copy(in));
        return stream;
    }

    /** A stream that is already over and kept nothing: for children whose error stream is not piped. */
    public static ErrorStream none() {
        ErrorStream stream = new ErrorStream();
        stream.ended.complete(null);
        return stream;
    }

    private void copy(InputStream in) {
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        byte[] buffer = new byte[8192];
        try (in) {
            for (int n; (n = in.read(buffer)) >= 0;) {
                for (int i = 0; i < n; i++) {
                    line.write(buffer[i]);
                    if (buffer[i] == '\n' || buffer[i] == '\r' || line.size() >= MAX_LINE) { // \r: progress lines
                        emit(line);
                    }
                }
            }
        } catch (IOException closed) {
            // the child is gone, or this JVM is closing the pipe
        } finally {
            if (line.size() > 0) {
                line.write('\n');
                emit(line);
            }
            ended.complete(null);
        }
    }

    private void emit(ByteArrayOutputStream line) {
        byte[] bytes = line.toByteArray();
        line.reset();
        PrintStream err = System.err;
        err.write(bytes, 0, bytes.length); // one call: a line is never split by another thread's output
        err.flush();
        String text = new String(bytes, StandardCharsets.UTF_8);
        lock.lock();
        try {
            if (headLines < HEAD_LINES && head.length() < HEAD_CHARS) {
                head.append(text);
                headLines++;
            }
            String kept = text.length() > TAIL_LINE_CHARS ? text.substring(0, TAIL_LINE_CHARS) + "...\n" : text;
            if (!kept.isBlank() && !Character.isWhitespace(kept.charAt(0))) {
                headline = kept; // "Exception in thread ...", "Caused by: ...", the JVM's own words
            }
            tail.addLast(kept);
            if (tail.size() > TAIL_LINES) {
                tail.removeFirst();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits at most {@code timeout} for the stream to end (the child and whatever inherited it are gone). */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        try {
            ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException notYet) {
            return false;
        }
    }

    /** Completed when the stream has ended. */
    public CompletableFuture<Void> ended() {
        return ended;
    }

    /** The first lines the child wrote, as written (each ends with a line break); empty if none yet. */
    public String head() {
        lock.lock();
        try {
            return head.toString();
        } finally {
            lock.unlock();
        }
    }

    /**
     * " Its last lines on standard error:" and those lines, indented, for the message of a child
     * that died; empty if it wrote none. Waits a moment for the stream to end first.
     */
    public String quoteTail() throws InterruptedException {
        awaitEnd(Duration.ofSeconds(2));
        String text;
        lock.lock();
        try {
            // a long stack trace would leave only its frames: its headline comes first
            text = (headline != null && !tail.contains(headline) ? headline + "    ...\n" : "") + String.join("", tail);
            text = text.strip();
        } finally {
            lock.unlock();
        }
        return text.isEmpty() ? "" : " Its last lines on standard error:\n    " + text.replace("\n", "\n    ");
    }

    /**
     * " Its standard error began:" and the first lines, indented, for an exception's message; or
     * " It wrote nothing on standard error." Waits a moment for the stream to end first, as the
     * child has just exited.
     */
    public String quote() throws InterruptedException {
        awaitEnd(Duration.ofSeconds(2));
        String text = head().strip();
        if (text.isEmpty()) {
            return " It wrote nothing on standard error.";
        }
        return " Its standard error began:\n    " + text.replace("\n", "\n    ");
    }
}

package dev.pyloom.multiprocessing.internal;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A child's standard output or error, written a whole line at a time. The children of a program
 * share its console, and the JDK's {@code System.out} writes a {@code printf} in pieces, so two
 * workers printing at once could mix their words within a line; here each line goes out in one
 * write, as from a line-buffered Python. A partial line waits for its newline, an explicit
 * {@code flush()}, the child's exit, or for {@value #LIMIT} bytes to pile up.
 */
final class LineOutput extends OutputStream {

    private static final int LIMIT = 8192;

    private final ReentrantLock lock = new ReentrantLock();
    private final OutputStream out;
    private byte[] buffer = new byte[256]; // guarded by lock
    private int count;                     // guarded by lock

    LineOutput(OutputStream out) {
        this.out = out;
    }

    /** Replaces {@code System.out} and {@code System.err} with line-at-a-time streams, flushed at exit. */
    static void install() {
        PrintStream stdout = stream(FileDescriptor.out, System.out.charset());
        PrintStream stderr = stream(FileDescriptor.err, System.err.charset());
        System.setOut(stdout);
        System.setErr(stderr);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stdout.flush();
            stderr.flush();
        }, "pyloom-flush-output"));
    }

    private static PrintStream stream(FileDescriptor fd, Charset charset) {
        return new PrintStream(new LineOutput(new FileOutputStream(fd)), false, charset);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        lock.lock();
        try {
            append(bytes, offset, length);
        } finally {
            lock.unlock();
        }
    }

    private void append(byte[] bytes, int offset, int length) throws IOException {
        if (count + length > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, count + length));
        }
        System.arraycopy(bytes, offset, buffer, count, length);
        count += length;
        int lastNewline = -1;
        for (int i = count - 1; i >= count - length; i--) {
            if (buffer[i] == '\n') {
                lastNewline = i;
                break;
            }
        }
        if (lastNewline >= 0) {
            out.write(buffer, 0, lastNewline + 1);
            System.arraycopy(buffer, lastNewline + 1, buffer, 0, count - lastNewline - 1);
            count -= lastNewline + 1;
        }
        if (count >= LIMIT) {
            out.write(buffer, 0, count);
            count = 0;
        }
    }

    @Override
    public void flush() throws IOException {
        lock.lock();
        try {
            if (count > 0) {
                out.write(buffer, 0, count);
                count = 0;
            }
            out.flush();
        } finally {
            lock.unlock();
        }
    }
}

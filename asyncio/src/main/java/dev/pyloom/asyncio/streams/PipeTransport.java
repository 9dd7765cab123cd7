package dev.pyloom.asyncio.streams;

import dev.pyloom.asyncio.EventLoop;
import dev.pyloom.asyncio.internal.CarrierThreads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * One pipe of a child process as a transport, CPython's {@code _UnixReadPipeTransport} or
 * {@code _UnixWritePipeTransport}: a child's stdout or stderr is read by a <em>read pump</em>, a
 * virtual thread blocked in {@code read()}; its stdin is written by the write pump, which blocks in
 * {@code write()} while the child does not read (the JDK parks the pump, not the loop).
 */
final class PipeTransport extends Transport {

    /* How much one read may take: a syscall's worth; bigger chunks waste memory on small messages. */
    private static final int READ_CHUNK = 64 * 1024;

    private final InputStream in;   // null: nothing to read (a child's stdin)
    private final OutputStream out; // null: nothing to write (a child's stdout or stderr)

    private PipeTransport(EventLoop loop, AutoCloseable pipe, InputStream in, OutputStream out) {
        super(loop, new PipeEndpoint(pipe), out != null);
        this.in = in;
        this.out = out;
    }

    /** The transport that reads a child's stdout or stderr; {@link #start} with its reader. Call on the loop. */
    static PipeTransport reading(EventLoop loop, InputStream pipe) {
        return new PipeTransport(loop, pipe, pipe, null);
    }

    /** The transport that writes a child's stdin; {@link #start} with no reader. Call on the loop. */
    static PipeTransport writing(EventLoop loop, OutputStream pipe) {
        return new PipeTransport(loop, pipe, null, pipe);
    }

    /**
     * The other end is gone for good (the child process at the other end of this pipe exited):
     * the transport closes as if a write had failed with {@code cause}, from any state, without
     * making a later write() an error (it is dropped, as writes to a lost connection are).
     */
    void peerGone(IOException cause) {
        fail(cause);
    }

    @Override
    void startReading() {
        CarrierThreads.ordinary().name("pyloom-asyncio-read-pump").start(this::pumpReads);
    }

    /* The read pump waits in awaitReadingMayGoOn(), signalled already. */
    @Override
    void readingConditionChanged() {
    }

    @Override
    void writeOut(byte[] chunk) throws IOException {
        out.write(chunk); // the pump blocks here while the child does not read
        out.flush();      // a child's stdin is buffered
    }

    private void pumpReads() {
        byte[] chunk = new byte[READ_CHUNK];
        try {
            while (awaitReadingMayGoOn()) {
                int n = in.read(chunk);
                if (n < 0) {
                    post(this::eofReceived);
                    closeEndpoint(null); // the pipe is done: as CPython's read pipe transport, it closes at EOF
                    return;
                }
                byte[] data = Arrays.copyOf(chunk, n);
                readAhead(n);
                post(() -> dataReceived(data));
            }
        } catch (IOException e) {
            fail(e); // the peer reset, or we closed the endpoint (then fail() does nothing)
        }
    }

    /** One pipe of a child as a {@link Transport.Endpoint}: closing the pipe is all there is. */
    private record PipeEndpoint(AutoCloseable pipe) implements Transport.Endpoint {
        @Override
        public void shutdownOutput() throws IOException {
            close();
        }

        @Override
        public void close() throws IOException {
            try {
                pipe.close();
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            }
        }

        @Override
        public Object extraInfo(String name) {
            return null;
        }
    }
}

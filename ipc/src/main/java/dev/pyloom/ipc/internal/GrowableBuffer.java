package dev.pyloom.ipc.internal;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A reusable, growing byte buffer that Jackson can encode into directly, so that a message is
 * encoded once, into the bytes that go on the wire, with room reserved for the frame header.
 * Not thread-safe: each connection's writer owns one.
 */
final class GrowableBuffer extends OutputStream {

    private byte[] bytes;
    private int count;

    GrowableBuffer(int initialCapacity) {
        bytes = new byte[initialCapacity];
    }

    void reset() {
        count = 0;
    }

    int size() {
        return count;
    }

    /** Leaves {@code n} bytes to be filled in later with {@link #putInt} / {@link #putByte}. */
    void skip(int n) {
        ensureCapacity(count + n);
        count += n;
    }

    void putInt(int at, int value) {
        bytes[at] = (byte) (value >>> 24);
        bytes[at + 1] = (byte) (value >>> 16);
        bytes[at + 2] = (byte) (value >>> 8);
        bytes[at + 3] = (byte) value;
    }

    void putByte(int at, byte value) {
        bytes[at] = value;
    }

    @Override
    public void write(int b) {
        ensureCapacity(count + 1);
        bytes[count++] = (byte) b;
    }

    @Override
    public void write(byte[] source, int offset, int length) {
        ensureCapacity(count + length);
        System.arraycopy(source, offset, bytes, count, length);
        count += length;
    }

    /** The bytes written so far, as a buffer ready to be written to a channel. */
    ByteBuffer contents() {
        return ByteBuffer.wrap(bytes, 0, count);
    }

    /** Gives back memory after an unusually large message, so one big send is not kept forever. */
    void shrinkTo(int capacity) {
        if (bytes.length > capacity && count <= capacity) {
            bytes = Arrays.copyOf(bytes, capacity);
        }
    }

    private void ensureCapacity(int needed) {
        if (needed < 0) {
            throw new OutOfMemoryError("message larger than 2 GiB");
        }
        if (needed > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(needed, bytes.length * 2));
        }
    }
}

package dev.pyloom.asyncio.internal;

import java.util.Arrays;

/**
 * A first-in first-out queue of bytes: appended at the back, taken from the front, searched in
 * place. CPython's {@code StreamReader} keeps its buffer in a {@code bytearray} and deletes from
 * the front; this is the same thing without moving the remaining bytes on every take.
 *
 * <p>Not thread-safe: a stream reader touches it only while it holds its loop's turn.
 */
public final class ByteQueue {

    private byte[] bytes = new byte[256];
    private int start; // the first byte still queued
    private int end;   // one past the last

    /** How many bytes are queued. */
    public int size() {
        return end - start;
    }

    public boolean isEmpty() {
        return start == end;
    }

    /** Appends {@code data[offset, offset + length)}. */
    public void append(byte[] data, int offset, int length) {
        if (bytes.length - end < length) {
            makeRoom(length);
        }
        System.arraycopy(data, offset, bytes, end, length);
        end += length;
    }

    /** Removes and returns the first {@code n} bytes; {@code n} must not exceed {@link #size()}. */
    public byte[] take(int n) {
        byte[] taken = Arrays.copyOfRange(bytes, start, start + n);
        skip(n);
        return taken;
    }

    /** Removes and returns everything. */
    public byte[] takeAll() {
        return take(size());
    }

    /** Drops the first {@code n} bytes. */
    public void skip(int n) {
        start += n;
        if (start == end) {
            start = 0; // empty: the next append starts at the front again
            end = 0;
        }
    }

    /** Drops everything. */
    public void clear() {
        start = 0;
        end = 0;
    }

    /** Whether the queued bytes start with {@code prefix} at {@code offset}. */
    public boolean regionMatches(int offset, byte[] prefix) {
        if (offset + prefix.length > size()) {
            return false;
        }
        return Arrays.equals(bytes, start + offset, start + offset + prefix.length, prefix, 0, prefix.length);
    }

    /**
     * The offset from the front of the first occurrence of {@code separator} starting at or after
     * {@code from}, or -1. Python's {@code bytearray.find(sep, from)}.
     */
    public int indexOf(byte[] separator, int from) {
        byte first = separator[0];
        int last = end - separator.length;
        for (int i = start + Math.max(0, from); i <= last; i++) {
            if (bytes[i] == first
                    && Arrays.equals(bytes, i, i + separator.length, separator, 0, separator.length)) {
                return i - start;
            }
        }
        return -1;
    }

    /*
     * Slides the queued bytes to the front when that frees enough room (and at least half the
     * array, so that a queue used as a sliding window does not copy on every append); grows the
     * array otherwise.
     */
    private void makeRoom(int length) {
        int size = size();
        if (start >= bytes.length / 2 && bytes.length - size >= length) {
            System.arraycopy(bytes, start, bytes, 0, size);
        } else {
            byte[] larger = new byte[Math.max(bytes.length * 2, size + length)];
            System.arraycopy(bytes, start, larger, 0, size);
            bytes = larger;
        }
        start = 0;
        end = size;
    }
}

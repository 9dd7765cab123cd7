package dev.pyloom.multiprocessing.internal;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A fast path for the commonest payload of a {@code map}: a JSON array of integers, as the pool
 * and its workers write it, with no whitespace ({@code [0,16,-3]}), written and scanned without
 * Jackson. Jackson's parser reads such an array at ~15 ns an element (it copies each number's
 * digits into a text buffer before converting them); scanning the bytes directly costs ~6,
 * boxing included. And a JVM that has just started runs a few small methods compiled far
 * sooner than Jackson's many (a new JVM's first 100,000 ints: ~20 ms instead of ~90).
 *
 * <p>The scan only ever says yes or "not mine": anything it does not expect (whitespace, a
 * fraction, an exponent, a leading zero, a number out of the type's range, the end of the
 * bytes) makes it give up, and the caller reads the same bytes with Jackson, which decodes them
 * or reports what is wrong with them. So the fast path can make a frame faster, never accept
 * one that Jackson would refuse.
 */
final class IntegerArrays {

    /** The integral types the scan decodes into. */
    enum Kind {
        INT, LONG;

        /** The kind for values of {@code type}, or null if the scan does not apply to it. */
        static Kind of(Type type) {
            if (type == int.class || type == Integer.class) {
                return INT;
            }
            if (type == long.class || type == Long.class) {
                return LONG;
            }
            return null;
        }
    }

    /** The values of an array, boxed as its kind says, and the index just past its {@code ]}. */
    record Scan(List<Object> values, int end) {}

    private static final int MAX_DIGITS = 18; // any 18 digits fit in a long; longer numbers go to Jackson

    private IntegerArrays() {}

    /**
     * Scans the array starting at {@code bytes[at]}, which should be its {@code [}.
     *
     * @return the values and where the array ends, or null if the bytes are not such an array
     */
    static Scan scan(byte[] bytes, int at, Kind kind) {
        if (at >= bytes.length || bytes[at] != '[') {
            return null;
        }
        Scanner scanner = new Scanner(bytes, at + 1);
        List<Object> values = new ArrayList<>();
        if (scanner.at < bytes.length && bytes[scanner.at] == ']') {
            return new Scan(values, scanner.at + 1);
        }
        for (;;) {
            long value = scanner.number();
            if (value == NOT_MINE) {
                return null;
            }
            if (kind == Kind.INT) {
                if (value != (int) value) {
                    return null;
                }
                values.add((int) value);
            } else {
                values.add(value);
            }
            byte next = bytes[scanner.at++]; // number() left at least one byte
            if (next == ']') {
                return new Scan(values, scanner.at);
            }
            if (next != ',') {
                return null;
            }
        }
    }

    /** What {@link Scanner#number()} returns for bytes that are not a number it takes (no 18 digits make it). */
    private static final long NOT_MINE = Long.MIN_VALUE;

    /*
     * One number a call, rather than one loop over the array: a JVM compiles a method called
     * thousands of times within a chunk, and only much later a loop that runs once per chunk,
     * so a new worker's (or parent's) first chunks are not read by the interpreter.
     */
    private static final class Scanner {
        final byte[] bytes;
        int at;

        Scanner(byte[] bytes, int at) {
            this.bytes = bytes;
            this.at = at;
        }

        /** The number at {@code at}, which it leaves just past it, before at least one more byte; or NOT_MINE. */
        long number() {
            int i = at;
            boolean negative = i < bytes.length && bytes[i] == '-';
            if (negative) {
                i++;
            }
            int first = i;
            long value = 0;
            while (i < bytes.length && bytes[i] >= '0' && bytes[i] <= '9') {
                value = value * 10 + (bytes[i] - '0');
                i++;
            }
            int digits = i - first;
            if (digits == 0 || digits > MAX_DIGITS || (digits > 1 && bytes[first] == '0') || i >= bytes.length) {
                return NOT_MINE;
            }
            at = i;
            return negative ? -value : value;
        }
    }

    /**
     * Whether every value is an {@code Integer} or a {@code Long}, which {@link #write} writes
     * without Jackson.
     */
    static boolean allIntegers(List<?> values) {
        for (Object value : values) {
            if (!(value instanceof Integer) && !(value instanceof Long)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Writes {@code values} (all {@code Integer} or {@code Long}) as a JSON array, as Jackson's
     * generator writes it: {@code [0,16,-3]}. One number a call, for the reason given above.
     */
    static void write(List<?> values, ByteArrayOutputStream out) {
        Writer writer = new Writer(values.size());
        writer.bytes[writer.at++] = '[';
        for (Object value : values) {
            writer.number(((Number) value).longValue());
        }
        if (writer.at > 1) {
            writer.at--; // the last comma
        }
        writer.bytes[writer.at++] = ']';
        out.write(writer.bytes, 0, writer.at);
    }

    /** The bytes of an array being written: each number and its comma, one call a number. */
    private static final class Writer {
        byte[] bytes;
        int at;

        Writer(int count) {
            bytes = new byte[2 + count * 8];
        }

        void number(long value) {
            if (bytes.length - at < 22) { // a sign, 19 digits, a comma, the closing bracket
                bytes = java.util.Arrays.copyOf(bytes, bytes.length * 2 + 22);
            }
            if (value < 0) {
                bytes[at++] = '-';
                if (value == Long.MIN_VALUE) { // its negation does not fit
                    byte[] rest = "9223372036854775808".getBytes(StandardCharsets.US_ASCII);
                    System.arraycopy(rest, 0, bytes, at, rest.length);
                    at += rest.length;
                    bytes[at++] = ',';
                    return;
                }
                value = -value;
            }
            int digits = 1;
            for (long rest = value / 10; rest != 0; rest /= 10) {
                digits++;
            }
            for (int i = at + digits - 1; i >= at; i--) {
                bytes[i] = (byte) ('0' + value % 10);
                value /= 10;
            }
            at += digits;
            bytes[at++] = ',';
        }
    }
}

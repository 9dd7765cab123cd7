package dev.pyloom.multiprocessing.internal;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * A fast path for the commonest payload of a {@code map}: a JSON array of integers, as the pool
 * and its workers write it, with no whitespace ({@code [0,16,-3]}). Jackson's parser reads such
 * an array at ~15 ns an element (it copies each number's digits into a text buffer before
 * converting them); scanning the bytes directly costs ~6, boxing included.
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
        int i = at;
        if (i >= bytes.length || bytes[i++] != '[') {
            return null;
        }
        List<Object> values = new ArrayList<>();
        if (i < bytes.length && bytes[i] == ']') {
            return new Scan(values, i + 1);
        }
        while (i < bytes.length) {
            boolean negative = bytes[i] == '-';
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
                return null;
            }
            if (negative) {
                value = -value;
            }
            if (kind == Kind.INT) {
                if (value != (int) value) {
                    return null;
                }
                values.add((int) value);
            } else {
                values.add(value);
            }
            byte next = bytes[i++];
            if (next == ']') {
                return new Scan(values, i);
            }
            if (next != ',') {
                return null;
            }
        }
        return null;
    }
}

package dev.pyloom.asyncio.streams;

import java.io.EOFException;
import java.io.Serial;
import java.util.OptionalInt;

/**
 * The stream ended before a read got what it asked for: Python's
 * {@code asyncio.IncompleteReadError}, which is an {@code EOFError}; here an
 * {@link EOFException}. It carries the bytes that did arrive; they are no longer in the reader.
 */
public final class IncompleteReadException extends EOFException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient byte[] partial;
    private final int expected; // -1: no count (readUntil)

    /**
     * @param partial  the bytes read before the end of the stream
     * @param expected how many were asked for, or -1 when the read was for a separator
     */
    public IncompleteReadException(byte[] partial, int expected) {
        super(partial.length + " bytes read on a total of "
                + (expected < 0 ? "undefined" : Integer.toString(expected)) + " expected bytes");
        this.partial = partial.clone();
        this.expected = expected;
    }

    /** The bytes that arrived before the end of the stream. Python's {@code partial}. */
    public byte[] partial() {
        return partial.clone();
    }

    /** How many bytes the read wanted; empty for {@link StreamReader#readUntil}. Python's {@code expected}. */
    public OptionalInt expected() {
        return expected < 0 ? OptionalInt.empty() : OptionalInt.of(expected);
    }
}

package dev.pyloom.asyncio.streams;

import java.io.IOException;
import java.io.Serial;

/**
 * {@link StreamReader#readUntil} reached the reader's buffer limit before finding its separator:
 * Python's {@code asyncio.LimitOverrunError}. The bytes stay in the reader; {@link #consumed()}
 * says how many to drop to get past them.
 */
public final class LimitOverrunException extends IOException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final int consumed;

    public LimitOverrunException(String message, int consumed) {
        super(message);
        this.consumed = consumed;
    }

    /** How many bytes were looked at (to skip before reading on). Python's {@code consumed}. */
    public int consumed() {
        return consumed;
    }
}

package dev.pyloom.asyncio.generators;

import java.io.Serial;
import java.util.NoSuchElementException;

/**
 * Thrown by {@link Generator#send} and {@link Generator#next()} when the generator's body has
 * returned: Python's {@code StopIteration}, carrying the return value. It is a
 * {@link NoSuchElementException}, what an {@code Iterator} throws when it has no next element.
 */
public final class StopIterationException extends NoSuchElementException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient Object value;

    /** The end of a generator whose body returned {@code value} (null if it had ended already). */
    public StopIterationException(Object value) {
        super("generator exhausted" + (value == null ? "" : ", returned " + value));
        this.value = value;
    }

    /** The body's return value. Python's {@code StopIteration.value}. */
    public Object value() {
        return value;
    }
}

package dev.pyloom.asyncio;

import java.io.Serial;
import java.util.concurrent.CancellationException;

/**
 * Python's {@code asyncio.CancelledError}: thrown at a coroutine's await point when its task is
 * {@linkplain Task#cancel(String) cancelled}, and by {@link Future#result()} of a cancelled future.
 *
 * <p>A coroutine may catch it to clean up, and should then rethrow it: a task whose coroutine
 * swallows its cancellation is not cancelled. It is a {@link CancellationException}, so code
 * written for {@code java.util.concurrent} recognises it.
 */
public class CancelledException extends CancellationException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** A cancellation with the message given to {@code cancel(msg)}, or null. */
    public CancelledException(String message) {
        super(message);
    }
}

package dev.pyloom.asyncio.internal;

/**
 * Rethrows a stored exception as itself. Python's {@code await} re-raises exactly the exception
 * the awaited coroutine raised; pyloom's await methods declare {@code throws Exception} and use
 * this to do the same, so a caller's {@code catch (IOException e)} catches what the coroutine threw.
 */
public final class Rethrow {

    private Rethrow() {}

    /** Throws {@code failure}: an {@code Exception} or {@code Error} as is, anything else wrapped. */
    public static RuntimeException of(Throwable failure) throws Exception {
        if (failure instanceof Exception e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(failure);
    }

    /** Throws {@code failure} as is, whatever the caller declares: for interfaces that cannot declare it. */
    @SuppressWarnings("unchecked")
    public static <E extends Throwable> RuntimeException unchecked(Throwable failure) throws E {
        throw (E) failure;
    }
}

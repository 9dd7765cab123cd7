package dev.pyloom.asyncio;

/**
 * A coroutine that returns nothing: Python's {@code async def f(): ...} without a
 * {@code return}. The API accepts one wherever it accepts a {@link Coroutine}, so that
 * {@code Asyncio.run(Hello::hello)} works for a {@code void hello()}.
 */
@FunctionalInterface
public interface VoidCoroutine {

    /** The coroutine's body. */
    void run() throws Exception;

    /** This coroutine as a {@code Coroutine<Void>} that returns null. */
    default Coroutine<Void> asCoroutine() {
        return () -> {
            run();
            return null;
        };
    }
}

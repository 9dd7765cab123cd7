package dev.pyloom.asyncio;

/**
 * A coroutine that produces a value: Python's {@code async def f(): ... return value}.
 *
 * <p>A coroutine is plain direct-style Java. It runs as a {@link Task} of an {@link EventLoop},
 * on a virtual thread, and gives the loop back only at await points ({@link Future#await()},
 * {@link Asyncio#sleep}, a primitive, a queue). Calling another coroutine's method directly is
 * Python's {@code await other()}: it runs in the same task.
 *
 * <pre>{@code
 * Coroutine<String> fetch = () -> {
 *     Asyncio.sleep(Duration.ofMillis(10));
 *     return "data";
 * };
 * String data = Asyncio.run(fetch);
 * }</pre>
 *
 * @param <T> the type of the value
 */
@FunctionalInterface
public interface Coroutine<T> {

    /** The coroutine's body. May throw anything; the task stores it, and awaiting the task rethrows it. */
    T call() throws Exception;
}

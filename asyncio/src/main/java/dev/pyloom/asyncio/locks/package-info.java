/**
 * Loop-bound locks for coroutines: Python's {@code asyncio.locks}.
 *
 * <p>{@link Lock}, {@link Event}, {@link Condition}, {@link Semaphore}, {@link BoundedSemaphore} and
 * {@link Barrier}, each a few lines on {@link dev.pyloom.asyncio.LoopBound} and the loop's futures,
 * as CPython's are. They hold no lock: only one coroutine of their loop runs at a time.
 * Python's {@code wait()} is {@code await()} here, because {@code java.lang.Object} owns {@code wait}.
 *
 * <p>Their names are {@code java.util.concurrent.locks}' too: import them by name
 * ({@code import dev.pyloom.asyncio.locks.Lock;}), not with a {@code *} beside the JDK's.
 */
package dev.pyloom.asyncio.locks;

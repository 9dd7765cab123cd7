/**
 * Queues between coroutines: Python's {@code asyncio.queues}.
 *
 * <p>{@link Queue}, {@link PriorityQueue} and {@link LifoQueue}, with Python's {@code QueueEmpty},
 * {@code QueueFull} and {@code QueueShutDown} as {@link QueueEmptyException},
 * {@link QueueFullException} and {@link QueueShutDownException}. Built on
 * {@link dev.pyloom.asyncio.LoopBound} and the loop's futures.
 *
 * <p>{@code Queue} is {@code java.util}'s name too: import it by name
 * ({@code import dev.pyloom.asyncio.queues.Queue;}), not with a {@code *} beside {@code java.util.*}.
 */
package dev.pyloom.asyncio.queues;

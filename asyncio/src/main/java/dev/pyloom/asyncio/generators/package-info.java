/**
 * Generator-style coroutines: Python's generators ({@code send}, {@code yield},
 * {@code throw}, {@code close}).
 *
 * <p>A {@link Generator}'s body runs on a virtual thread of its own and hands each value to its
 * consumer, which resumes it; {@link GeneratorExit} and {@link StopIterationException} keep
 * Python's meaning. Needs no event loop: the tutorial's producer/consumer runs anywhere.
 */
package dev.pyloom.asyncio.generators;

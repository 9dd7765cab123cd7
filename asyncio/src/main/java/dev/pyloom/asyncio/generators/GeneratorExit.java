package dev.pyloom.asyncio.generators;

import java.io.Serial;

/**
 * Thrown at a generator body's {@code yield} when the generator is {@linkplain Generator#close()
 * closed}: Python's {@code GeneratorExit}.
 *
 * <p>The body should let it propagate (its {@code finally} blocks run). Like Python's, which
 * derives from {@code BaseException} so that {@code except Exception:} does not catch it, it is
 * an {@link Error}, so that a body's {@code catch (Exception e)} does not swallow it, as
 * {@code ThreadDeath} once was.
 */
public final class GeneratorExit extends Error {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The signal to end a generator body. */
    public GeneratorExit() {
        super("generator closed");
    }
}

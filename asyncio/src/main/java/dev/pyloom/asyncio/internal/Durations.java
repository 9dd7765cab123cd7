package dev.pyloom.asyncio.internal;

import java.time.Duration;
import java.util.Objects;

/** Converts the {@code Duration}s of the public API into the nanoseconds the loop counts in. */
public final class Durations {

    private Durations() {}

    /**
     * {@code d} in nanoseconds, saturating at {@code Long.MAX_VALUE} (about 292 years) so that a
     * huge duration means "a very long time" rather than an {@code ArithmeticException}. Negative
     * durations are kept: as in Python, a delay in the past means "as soon as possible".
     *
     * @throws NullPointerException if {@code d} is null
     */
    public static long toNanos(Duration d) {
        Objects.requireNonNull(d, "duration");
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /**
     * How long from {@code now} until {@code when}: 0 if it has come, {@code Long.MAX_VALUE} if
     * the difference does not fit (a far-future deadline seen from a negative clock).
     */
    public static long nanosUntil(long when, long now) {
        if (when <= now) {
            return 0;
        }
        long wait = when - now;
        return wait > 0 ? wait : Long.MAX_VALUE;
    }

    /** {@code a + b}, saturating instead of overflowing. */
    public static long saturatedAdd(long a, long b) {
        long sum = a + b;
        if (((a ^ sum) & (b ^ sum)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return sum;
    }
}

package dev.pyloom.threading;

import java.time.Duration;
import java.util.Objects;

/** Converts the {@code Duration} timeouts of the public API into the nanoseconds the JDK waits with. */
final class Timeouts {

    private Timeouts() {}

    /**
     * Returns {@code timeout} in nanoseconds, saturating at {@code Long.MAX_VALUE} (about 292
     * years), so that {@code Duration.ofSeconds(Long.MAX_VALUE)} means "a very long time" rather
     * than an {@code ArithmeticException}.
     *
     * @throws NullPointerException     if {@code timeout} is null
     * @throws IllegalArgumentException if {@code timeout} is negative. Python spells "no timeout"
     *                                  {@code timeout=-1}; in pyloom it is the overload without one.
     */
    static long toNanos(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
        }
        try {
            return timeout.toNanos();
        } catch (ArithmeticException tooLongToCount) {
            return Long.MAX_VALUE;
        }
    }
}

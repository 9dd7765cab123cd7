package dev.pyloom.multiprocessing;

import java.time.Duration;
import java.util.Objects;

/** Timeouts as the module's waits take them. */
final class Timeouts {

    private Timeouts() {}

    /**
     * {@code timeout} in nanoseconds, {@code Long.MAX_VALUE} for anything longer.
     *
     * @throws IllegalArgumentException if it is negative
     */
    static long nanos(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
        }
        try {
            return timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }
}

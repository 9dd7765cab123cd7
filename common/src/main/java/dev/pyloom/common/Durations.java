package dev.pyloom.common;

import java.time.Duration;
import java.util.Objects;

/**
 * Turns the {@code Duration}s of pyloom's API into the nanoseconds the JDK and the event loop
 * count in, by the rules of the conventions every module follows:
 *
 * <ul>
 *   <li>{@code null} is never a duration: a {@code NullPointerException} naming the parameter;</li>
 *   <li>a <em>timeout</em> of a blocking wait (threading, ipc, multiprocessing) must not be
 *       negative, as Python's {@code Lock.acquire} and {@code queue.Queue.get} refuse one:
 *       {@link #timeoutNanos};</li>
 *   <li>an asyncio <em>delay</em>, or a deadline on the loop's clock, may be in the past, and then
 *       means "as soon as possible", as {@code sleep} and {@code call_later} take it:
 *       {@link #delayNanos}, with {@link #saturatedAdd} and {@link #nanosUntil} for the arithmetic
 *       of deadlines;</li>
 *   <li>a duration too long to count in nanoseconds (more than about 292 years) means "a very
 *       long time": it saturates, never an {@code ArithmeticException}.</li>
 * </ul>
 */
public final class Durations {

    private Durations() {}

    /**
     * A blocking wait's {@code timeout} in nanoseconds, {@code Long.MAX_VALUE} for anything longer.
     *
     * @param timeout the timeout
     * @param name    the parameter's name, for the exceptions' messages
     * @return the timeout in nanoseconds, zero or more
     * @throws NullPointerException     if {@code timeout} is null. Without a timeout is the
     *                                  overload without one (Python's {@code timeout=None}).
     * @throws IllegalArgumentException if {@code timeout} is negative. Python spells "no timeout"
     *                                  {@code timeout=-1}; in pyloom it is the overload without one.
     */
    public static long timeoutNanos(Duration timeout, String name) {
        Objects.requireNonNull(timeout, name);
        if (timeout.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, got " + timeout);
        }
        return saturatedNanos(timeout);
    }

    /**
     * An asyncio delay, or a time on the loop's clock, in nanoseconds. Negative values are kept:
     * a delay or a deadline in the past means "as soon as possible". Anything beyond what a
     * {@code long} counts becomes {@code Long.MAX_VALUE} (or {@code Long.MIN_VALUE} in the past).
     *
     * @param delay the delay or time
     * @param name  the parameter's name, for the exception's message
     * @return the delay in nanoseconds, of either sign
     * @throws NullPointerException if {@code delay} is null
     */
    public static long delayNanos(Duration delay, String name) {
        Objects.requireNonNull(delay, name);
        return saturatedNanos(delay);
    }

    /**
     * How long from {@code now} until {@code when}, both on one nanosecond clock: 0 if it has
     * come, {@code Long.MAX_VALUE} if the difference does not fit (a far-future deadline seen from
     * a negative clock).
     *
     * @param when a deadline
     * @param now  the clock's present reading
     * @return the nanoseconds left, zero or more
     */
    public static long nanosUntil(long when, long now) {
        if (when <= now) {
            return 0;
        }
        long wait = when - now;
        return wait > 0 ? wait : Long.MAX_VALUE;
    }

    /**
     * {@code a + b}, saturating at {@code Long.MAX_VALUE} or {@code Long.MIN_VALUE} instead of
     * overflowing: a deadline {@code now + delay} for the longest delay is "a very long time"
     * from now, not a time in the past.
     *
     * @param a a clock reading or a duration in nanoseconds
     * @param b another
     * @return their sum, saturated
     */
    public static long saturatedAdd(long a, long b) {
        long sum = a + b;
        // overflow happened if and only if both operands have a sign the sum does not
        if (((a ^ sum) & (b ^ sum)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return sum;
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLongToCount) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }
}

package dev.pyloom.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The conventions' rules for durations, each stated once (README, Conventions: Time). */
class DurationsTest {

    // ------------------------------------------------------------------ blocking waits' timeouts

    @Test
    void aTimeoutIsItsNanoseconds() {
        assertEquals(0, Durations.timeoutNanos(Duration.ZERO, "timeout"));
        assertEquals(1_500_000, Durations.timeoutNanos(Duration.ofNanos(1_500_000), "timeout"));
    }

    @Test
    void aNullTimeoutThrowsNamingTheParameter() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> Durations.timeoutNanos(null, "interval"));
        assertEquals("interval", e.getMessage());
    }

    @Test
    void aNegativeTimeoutIsRefusedNamingTheParameterAndTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Durations.timeoutNanos(Duration.ofSeconds(-1), "timeout"));
        assertEquals("timeout must not be negative, got PT-1S", e.getMessage());
    }

    @Test
    void aTimeoutTooLongToCountSaturates() {
        assertEquals(Long.MAX_VALUE, Durations.timeoutNanos(Duration.ofSeconds(Long.MAX_VALUE), "timeout"));
    }

    // ------------------------------------------------------------------ asyncio's delays and deadlines

    @Test
    void aDelayInThePastIsKept() {
        assertEquals(-1_000, Durations.delayNanos(Duration.ofNanos(-1_000), "delay"));
    }

    @Test
    void aNullDelayThrowsNamingTheParameter() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> Durations.delayNanos(null, "when"));
        assertEquals("when", e.getMessage());
    }

    @Test
    void aDelayTooLongToCountSaturatesOnItsSide() {
        assertEquals(Long.MAX_VALUE, Durations.delayNanos(Duration.ofSeconds(Long.MAX_VALUE), "delay"));
        assertEquals(Long.MIN_VALUE, Durations.delayNanos(Duration.ofSeconds(Long.MIN_VALUE), "delay"));
    }

    @Test
    void saturatedAddAddsWhatFitsAndSaturatesWhatDoesNot() {
        assertEquals(5, Durations.saturatedAdd(2, 3));
        assertEquals(Long.MAX_VALUE, Durations.saturatedAdd(Long.MAX_VALUE - 1, 2));
        assertEquals(Long.MIN_VALUE, Durations.saturatedAdd(Long.MIN_VALUE + 1, -2));
        assertEquals(-1, Durations.saturatedAdd(Long.MAX_VALUE, Long.MIN_VALUE));
    }

    @Test
    void nanosUntilADeadlineThatHasComeIsZero() {
        assertEquals(0, Durations.nanosUntil(10, 10));
        assertEquals(0, Durations.nanosUntil(5, 10));
        assertEquals(7, Durations.nanosUntil(17, 10));
    }

    @Test
    void nanosUntilAFarDeadlineFromANegativeClockSaturates() {
        assertEquals(Long.MAX_VALUE, Durations.nanosUntil(Long.MAX_VALUE, -10));
        assertTrue(Durations.nanosUntil(Long.MAX_VALUE - 1, -1) > 0);
    }
}

package dev.pyloom.asyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** How a loop's strategy is chosen. */
class StrategyTest {

    @Test
    void theCarrierStrategyIsAvailableInThisBuildsTests() {
        assertTrue(Strategy.carrierAvailable(), "surefire's argLine opens java.base/java.lang");
    }

    @Test
    void automaticPrefersTheCarrierWhenItIsAvailable() {
        assertEquals(Strategy.CARRIER, Strategy.choose(null, true));
    }

    @Test
    void automaticFallsBackToHandoffWhenTheCarrierIsUnavailable() {
        assertEquals(Strategy.HANDOFF, Strategy.choose(null, false));
        assertEquals(Strategy.HANDOFF, Strategy.choose(" ", false));
    }

    @Test
    void thePropertyForcesAStrategy() {
        assertEquals(Strategy.HANDOFF, Strategy.choose("handoff", true));
        assertEquals(Strategy.CARRIER, Strategy.choose("Carrier", true));
    }

    @Test
    void anUnknownStrategyNameIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Strategy.choose("green-threads", true));
    }

    @Test
    void aLoopWithoutAStrategyUsesTheAutomaticOne() {
        try (EventLoop loop = new EventLoop()) {
            assertEquals(Strategy.automatic(), loop.strategy());
        }
    }
}

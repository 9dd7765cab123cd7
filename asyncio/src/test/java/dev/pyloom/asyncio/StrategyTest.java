package dev.pyloom.asyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

    /**
     * Without the flag, asking for the carrier strategy fails at once with the flag to add (it
     * used to fail only as the first task started, on the loop's thread, and run() hung).
     */
    @Test
    void aCarrierLoopWithoutTheFlagIsRefusedWithTheFlagToAdd() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), WithoutTheFlag.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().remove("JAVA_TOOL_OPTIONS"); // either could add the flag, or a line of output
        builder.environment().remove("JDK_JAVA_OPTIONS");
        Process child = builder.start();
        try {
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child JVM did not end");
            String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, child.exitValue(), output);
            assertEquals(List.of("HANDOFF", "refused: the carrier strategy needs --add-opens java.base/java.lang=ALL-UNNAMED (JDK 21 to 25)"),
                    output.lines().toList());
        } finally {
            child.destroyForcibly();
        }
    }

    /** Run in a JVM started without {@code --add-opens}. */
    static final class WithoutTheFlag {
        public static void main(String[] args) {
            try (EventLoop automatic = new EventLoop()) {
                System.out.println(automatic.strategy());
            }
            try (EventLoop carrier = new EventLoop(Strategy.CARRIER)) {
                System.out.println("built: " + carrier);
            } catch (IllegalStateException e) {
                System.out.println("refused: " + e.getMessage());
            }
        }
    }
}

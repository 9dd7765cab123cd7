package dev.pyloom.examples.asyncio;

import dev.pyloom.examples.ExpectedOutput;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The asyncio examples print what the tutorial's Python prints. They run in this JVM, with their
 * output captured and their pauses shortened; the tour's test runs them as a user does.
 */
class AsyncioExamplesTest {

    @Test
    void theProducerAndTheGeneratorConsumerTakeTurnsFiveTimes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new ProducerConsumer(capture(bytes)).run();
        ExpectedOutput.producerConsumer(lines(bytes));
    }

    @Test
    void helloPrintsAroundItsSleepAndTwoHellosOverlap() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new Hello(capture(bytes), Duration.ofMillis(10)).run();
        ExpectedOutput.hello(lines(bytes));
    }

    @Test
    void wgetPrintsEverySitesHeadersInOrderAsTheyArrive() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new Wget(capture(bytes), Duration.ofMillis(5)).run();
        ExpectedOutput.wget(lines(bytes));
    }

    private static PrintStream capture(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    private static List<String> lines(ByteArrayOutputStream bytes) {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }
}

package dev.pyloom.examples.asyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The asyncio examples print what the tutorial's Python prints. */
class AsyncioExamplesTest {

    private static PrintStream capture(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    @Test
    void theProducerAndTheGeneratorConsumerTakeTurnsFiveTimes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new ProducerConsumer(capture(bytes)).run();
        List<String> expected = new ArrayList<>();
        for (int n = 1; n <= 5; n++) {
            expected.add("[PRODUCER] Producing " + n + "...");
            expected.add("[CONSUMER] Consuming " + n + "...");
            expected.add("[PRODUCER] Consumer return: 200 OK");
        }
        assertEquals(expected, bytes.toString(StandardCharsets.UTF_8).lines().toList());
    }

    @Test
    void helloPrintsAroundItsSleepAndTwoHellosOverlap() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new Hello(capture(bytes), Duration.ofMillis(10)).run();
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(List.of(
                "Hello world!", "Hello again!",                                  // one hello()
                "Hello world!", "Hello world!", "Hello again!", "Hello again!"), // two at once: both sleep together
                lines.subList(0, 6));
        assertTrue(lines.get(6).startsWith("two hello() coroutines, gathered: "), lines.get(6));
    }

    @Test
    void wgetPrintsEverySitesHeadersInOrderAsTheyArrive() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new Wget(capture(bytes), Duration.ofMillis(5)).run();
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        List<String> hosts = List.copyOf(Wget.SITES.keySet());
        assertEquals(hosts.stream().map(host -> "wget " + host + "...").toList(), lines.subList(0, 3),
                "the three coroutines all start before any answer arrives");
        int headerLines = 0;
        for (String host : hosts) {
            String prefix = host + " header > ";
            List<String> printed = lines.stream().filter(line -> line.startsWith(prefix))
                    .map(line -> line.substring(prefix.length())).toList();
            assertEquals(Wget.SITES.get(host), printed, host);
            headerLines += printed.size();
        }
        assertEquals(3 + headerLines, lines.size(), lines.toString());
    }
}

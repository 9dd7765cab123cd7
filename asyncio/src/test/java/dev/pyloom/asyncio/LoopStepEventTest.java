package dev.pyloom.asyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a profiler sees of a loop held too long: a JFR event naming the task whose step held it,
 * recorded without debug mode, and none for the steps that were quick.
 */
class LoopStepEventTest {

    @ParameterizedTest
    @EnumSource(value = Strategy.class, names = {"HANDOFF", "CARRIER"})
    void aStepThatHoldsTheLoopIsRecordedNamingItsTask(Strategy strategy, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("loop.jfr");
        try (Recording recording = new Recording(); EventLoop loop = new EventLoop(strategy)) {
            recording.enable(LoopStepEvent.NAME).withThreshold(Duration.ofMillis(50));
            recording.start();
            loop.run(() -> {
                Task<Long> spinner = Asyncio.createTask(() -> spin(Duration.ofMillis(200)), "spinner");
                Task<Void> quick = Asyncio.createTask(() -> Asyncio.sleep(Duration.ZERO), "quick");
                spinner.await();
                quick.await();
            });
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> steps = RecordingFile.readAllEvents(file).stream()
                .filter(event -> event.getEventType().getName().equals(LoopStepEvent.NAME)).toList();
        assertEquals(1, steps.size(), "the spinning step alone: " + steps);
        // Under handoff a task may hand the turn straight on within one step of the loop, which
        // then names the last task that held it (as debug mode's report does).
        String named = strategy == Strategy.CARRIER ? "spinner" : "Task[";
        assertTrue(steps.getFirst().getString("step").contains(named), steps.toString());
        assertTrue(steps.stream().allMatch(event -> event.getString("loop").startsWith("EventLoop")), steps.toString());
    }

    /** Holds the loop: the behaviour under test, a step that does not await. */
    private static long spin(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        long spins = 0;
        while (System.nanoTime() < end) {
            spins++;
        }
        return spins;
    }
}

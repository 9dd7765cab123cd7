package dev.pyloom.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a profiler sees of a pool through JFR: an event for each task (which worker, how long it
 * queued and ran, how it ended) and for each worker JVM's start. Recorded in this JVM and read
 * back from the file, as a user's tools would.
 */
@ExtendWith(NoChildrenLeft.class)
class PoolEventsTest {

    @Test
    void aRecordingShowsEachTaskAndEachWorkersStart(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("pool.jfr");
        String poolName;
        try (Recording recording = new Recording()) {
            recording.enable(PoolTaskEvent.NAME);
            recording.enable(WorkerStartEvent.NAME);
            recording.start();
            try (Pool pool = new Pool(1)) {
                poolName = pool.toString().substring(0, pool.toString().indexOf('['));
                assertEquals(9, pool.apply(Tasks::square, 3));
                assertThrows(IllegalArgumentException.class, () -> pool.apply(Tasks::fail, "no"));
                assertEquals(List.of(1, 4, 9), pool.map(Tasks::square, List.of(1, 2, 3), 2));
            }
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        List<RecordedEvent> tasks = events.stream().filter(e -> e.getEventType().getName().equals(PoolTaskEvent.NAME)).toList();
        List<RecordedEvent> starts = events.stream().filter(e -> e.getEventType().getName().equals(WorkerStartEvent.NAME)).toList();

        RecordedEvent square = tasks.stream().filter(e -> e.getString("task").startsWith("Tasks::square #")
                && e.getInt("calls") == 1).findFirst().orElseThrow(() -> new AssertionError(tasks));
        assertEquals(poolName, square.getString("pool"));
        assertEquals("success", square.getString("outcome"));
        assertTrue(square.getString("worker").startsWith("PoolWorker-"), square.toString());
        assertTrue(square.getDuration("ran").toNanos() > 0, square.toString());
        assertFalse(square.getDuration("queued").isNegative(), square.toString());

        RecordedEvent failed = tasks.stream().filter(e -> e.getString("task").startsWith("Tasks::fail #"))
                .findFirst().orElseThrow(() -> new AssertionError(tasks));
        assertEquals("java.lang.IllegalArgumentException: no", failed.getString("outcome"));

        assertEquals(List.of(1, 2, 1), tasks.stream().filter(e -> e.getString("task").startsWith("Tasks::square #"))
                .map(e -> e.getInt("calls")).toList(), "the apply, then the map's two chunks: " + tasks);

        RecordedEvent start = starts.stream().filter(e -> e.getString("worker").equals(square.getString("worker")))
                .findFirst().orElseThrow(() -> new AssertionError(starts));
        assertTrue(start.getBoolean("ready"), start.toString());
        assertTrue(start.getLong("pid") > 0, start.toString());
        assertTrue(start.getDuration().toNanos() > 0, start.toString());
        assertEquals(poolName, start.getString("pool"));
    }
}

package dev.pyloom.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.testing.Spawned;
import org.junit.jupiter.api.Test;

/** {@link SimpleQueue}: put, get, empty, close; locally and through a handle. */
class SimpleQueueTest {

    @Test
    void putGetAndEmptyWorkLocallyAndThroughAHandle() throws Exception {
        SimpleQueue<String> owner = SimpleQueue.of(String.class);
        try (SimpleQueue<String> remote = SimpleQueue.fromHandle(owner.toHandle(), String.class)) {
            assertTrue(owner.empty());
            remote.put("from afar");
            assertFalse(remote.empty());
            assertEquals("from afar", owner.get());
            Spawned<String> waiting = Spawned.call(remote::get).awaitBlocked();
            owner.put("back");
            assertEquals("back", waiting.join());
        }
    }

    @Test
    void aClosedSimpleQueueRefusesEveryUseHere() throws Exception {
        SimpleQueue<Object> q = SimpleQueue.create();
        q.close();
        assertThrows(IllegalStateException.class, () -> q.put(1));
        assertThrows(IllegalStateException.class, q::get);
        assertThrows(IllegalStateException.class, q::empty);
        assertThrows(IllegalStateException.class, q::toHandle);
        assertTrue(q.toString().contains("closed"));
    }
}

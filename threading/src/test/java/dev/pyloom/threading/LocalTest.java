package dev.pyloom.threading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pyloom.testing.Spawned;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link Local}, CPython's {@code test_threading_local}. */
class LocalTest {

    @Test
    void eachThreadSeesOnlyItsOwnValue() throws Exception {
        Local<String> local = new Local<>();
        local.set("main");
        String inOther = Spawned.call(() -> {
            String before = local.get();
            local.set("other");
            return before + "/" + local.get();
        }).join();
        assertEquals("null/other", inOther);
        assertEquals("main", local.get());
    }

    @Test
    void theDefaultFactoryRunsOncePerThreadAndNeverShares() throws Exception {
        AtomicInteger made = new AtomicInteger();
        Local<List<String>> local = Local.withDefault(() -> {
            made.incrementAndGet();
            return new ArrayList<>();
        });
        List<String> mine = local.get();
        mine.add("main");
        assertEquals(List.of("main"), local.get());
        List<String> theirs = Spawned.call(local::get).join();
        assertNotSame(mine, theirs);
        assertEquals(List.of(), theirs);
        assertEquals(2, made.get());
    }

    @Test
    void removeStartsTheValueAfresh() {
        AtomicInteger made = new AtomicInteger();
        Local<Integer> local = Local.withDefault(made::incrementAndGet);
        assertEquals(1, local.get());
        local.set(99);
        local.remove();
        assertEquals(2, local.get());
    }

    @Test
    void tenThousandVirtualThreadsEachKeepTheirOwn() throws Exception {
        Local<int[]> counter = Local.withDefault(() -> new int[1]);
        AtomicInteger wrong = new AtomicInteger();
        List<Spawned<Void>> all = Spawned.runMany(10_000, () -> {
            for (int i = 0; i < 100; i++) {
                counter.get()[0]++;
                Thread.yield();
            }
            if (counter.get()[0] != 100) {
                wrong.incrementAndGet();
            }
        });
        Spawned.joinAll(all);
        assertEquals(0, wrong.get());
    }

    @Test
    void aPlainLocalStartsAsNull() {
        assertNull(new Local<Object>().get());
    }

    @Test
    void aNullFactoryIsRejected() {
        assertThrows(NullPointerException.class, () -> Local.withDefault(null));
    }
}

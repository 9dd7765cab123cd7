package dev.pyloom.asyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The loop's timer heap, against a sorted set doing the same adds and removals. */
class TimerHeapTest {

    private final EventLoop loop = new EventLoop();
    private final TimerHeap heap = new TimerHeap();
    private long sequence;

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    private TimerHandle add(long when) {
        TimerHandle timer = new TimerHandle(loop, when, sequence++, () -> {});
        heap.add(when, timer.sequence, timer);
        return timer;
    }

    @Test
    void pollsByTimeThenByTheOrderAdded() {
        TimerHandle late = add(30);
        TimerHandle first = add(10);
        TimerHandle tieA = add(20);
        TimerHandle tieB = add(20);
        assertEquals(List.of(first, tieA, tieB, late), drain());
        assertNull(heap.first());
    }

    @Test
    void anEntryKnowsItsPlaceAndLeavesAtOnce() {
        TimerHandle kept = add(5);
        TimerHandle removed = add(1);
        assertTrue(removed.heapIndex >= 0);
        heap.remove(removed);
        assertEquals(TimerHeap.NOT_IN_HEAP, removed.heapIndex);
        heap.remove(removed); // removing twice does nothing
        assertEquals(1, heap.size());
        assertSame(kept, heap.poll());
        assertEquals(TimerHeap.NOT_IN_HEAP, kept.heapIndex);
    }

    @Test
    void randomAddsAndRemovalsMatchASortedSet() {
        Random random = new Random(42);
        Comparator<TimerHandle> byKey = Comparator.<TimerHandle>comparingLong(t -> t.whenNanos).thenComparingLong(t -> t.sequence);
        TreeSet<TimerHandle> model = new TreeSet<>(byKey);
        List<TimerHandle> live = new ArrayList<>();
        for (int step = 0; step < 40_000; step++) {
            int op = random.nextInt(10);
            int adds = step < 20_000 ? 7 : 3; // grow across several pages, then shrink back
            if (op < adds || live.isEmpty()) {
                TimerHandle timer = add(random.nextInt(5_000)); // many ties
                model.add(timer);
                live.add(timer);
            } else if (op < adds + 2) {
                TimerHandle timer = live.remove(random.nextInt(live.size()));
                heap.remove(timer);
                model.remove(timer);
            } else {
                TimerHandle polled = (TimerHandle) heap.poll();
                assertSame(model.pollFirst(), polled);
                live.remove(polled);
            }
            assertEquals(model.size(), heap.size());
            assertSame(model.isEmpty() ? null : model.first(), heap.first());
        }
        assertEquals(List.copyOf(model), drain());
    }

    @Test
    void shrinksOnceMostTimersAreGoneAndStillOrdersTheRest() {
        List<TimerHandle> timers = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            timers.add(add(i));
        }
        for (int i = 0; i < 99_990; i++) {
            heap.remove(timers.get(i));
        }
        assertEquals(10, heap.size());
        assertTrue(heap.capacity() <= 3 * TimerHeap.PAGE_SIZE, "capacity " + heap.capacity());
        assertEquals(timers.subList(99_990, 100_000), drain());
        add(7);
        heap.clear();
        assertEquals(0, heap.size());
        assertNull(heap.first());
    }

    private List<Object> drain() {
        List<Object> order = new ArrayList<>();
        while (!heap.isEmpty()) {
            order.add(heap.poll());
        }
        return order;
    }
}

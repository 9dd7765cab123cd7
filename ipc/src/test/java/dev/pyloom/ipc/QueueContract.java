package dev.pyloom.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.testing.Spawned;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a queue promises to every process that uses it, CPython's {@code _TestQueue}: run once on
 * the owner's own object and once on a view attached through a handle (a remote queue, reached
 * over a socket exactly as from another process).
 */
abstract class QueueContract {

    /** The object a user of the queue would hold: the owner's, or one reattached from its handle. */
    abstract <T> Queue<T> view(Queue<T> owner, Class<T> type) throws IOException;

    abstract <T> JoinableQueue<T> view(JoinableQueue<T> owner, Class<T> type) throws IOException;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    <T> Queue<T> queue(Class<T> type, int maxsize) throws IOException {
        return closedAfterwards(view(Queue.of(type, maxsize), type));
    }

    <Q extends AutoCloseable> Q closedAfterwards(Q queue) {
        toClose.add(queue);
        return queue;
    }

    @AfterEach
    void closeViews() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    record Item(int producer, int seq) {}

    @Test
    void itemsComeOutInTheOrderTheyWentIn() throws Exception {
        Queue<Integer> q = queue(Integer.class, 0);
        for (int i = 0; i < 1_000; i++) {
            q.put(i);
        }
        for (int i = 0; i < 1_000; i++) {
            assertEquals(i, q.get());
        }
    }

    @Test
    void getWaitsForAPut() throws Exception {
        Queue<String> q = queue(String.class, 0);
        Spawned<String> getter = Spawned.call(q::get).awaitBlocked();
        assertFalse(getter.isDone());
        q.put("arrived");
        assertEquals("arrived", getter.join());
    }

    @Test
    void aTimedGetOnAnEmptyQueueThrowsEmpty() throws Exception {
        Queue<String> q = queue(String.class, 0);
        QueueEmptyException e = assertThrows(QueueEmptyException.class, () -> q.get(Duration.ofMillis(20)));
        assertEquals("queue is empty", e.getMessage());
        assertThrows(QueueEmptyException.class, q::getNowait);
        q.put("later");
        assertEquals("later", q.get(Spawned.PATIENCE));
    }

    @Test
    void aBoundedQueueMakesPutWaitForRoom() throws Exception {
        Queue<Integer> q = queue(Integer.class, 2);
        q.put(1);
        q.put(2);
        assertTrue(q.full());
        Spawned<Void> putter = Spawned.run(() -> q.put(3)).awaitBlocked();
        assertFalse(putter.isDone());
        assertEquals(1, q.get());
        putter.join();
        assertEquals(2, q.get());
        assertEquals(3, q.get());
    }

    @Test
    void putNowaitAndTimedPutOnAFullQueueThrowFull() throws Exception {
        Queue<Integer> q = queue(Integer.class, 1);
        q.putNowait(1);
        QueueFullException e = assertThrows(QueueFullException.class, () -> q.putNowait(2));
        assertEquals("queue is full", e.getMessage());
        assertThrows(QueueFullException.class, () -> q.put(2, Duration.ofMillis(20)));
        assertEquals(1, q.get());
        assertThrows(QueueEmptyException.class, q::getNowait, "the refused puts added nothing");
    }

    @Test
    void sizesReflectThisProcessesOwnPuts() throws Exception {
        Queue<Integer> q = queue(Integer.class, 0);
        assertTrue(q.empty());
        assertEquals(0, q.qsize());
        q.put(1);
        q.put(2);
        q.put(3);
        assertEquals(3, q.qsize());
        assertFalse(q.empty());
        assertFalse(q.full(), "an unbounded queue is never full");
        assertEquals(0, q.maxsize());
    }

    @Test
    void aNonPositiveMaxsizeMeansUnbounded() throws Exception {
        Queue<Integer> q = queue(Integer.class, -5);
        assertEquals(0, q.maxsize());
        for (int i = 0; i < 100; i++) {
            q.putNowait(i);
        }
        assertEquals(100, q.qsize());
    }

    @Test
    void elementsDecodeAsTheQueuesType() throws Exception {
        Queue<Item> q = queue(Item.class, 0);
        q.put(new Item(1, 2));
        assertEquals(new Item(1, 2), q.get());
    }

    @Test
    void aValueThatCannotBeEncodedFailsAtPutAndAddsNothing() throws Exception {
        Queue<Object> owner = Queue.create();
        Queue<Object> q = closedAfterwards(view(owner, Object.class));
        assertThrows(IllegalArgumentException.class, () -> q.put(new Object()));
        assertEquals(0, q.qsize());
    }

    @Test
    void manyProducersAndConsumersLoseNothingDuplicateNothingAndKeepEachProducersOrder() throws Exception {
        Queue<Item> q = queue(Item.class, 0);
        int producers = 4;
        int each = 2_500;
        int consumers = 3;
        ConcurrentLinkedQueue<Item> received = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> orderViolations = new ConcurrentLinkedQueue<>();
        Item stop = new Item(-1, -1);
        List<Spawned<Void>> producing = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            producing.add(Spawned.run(() -> {
                for (int i = 0; i < each; i++) {
                    q.put(new Item(producer, i));
                }
            }));
        }
        List<Spawned<Void>> consuming = new ArrayList<>();
        for (int c = 0; c < consumers; c++) {
            consuming.add(Spawned.run(() -> {
                Map<Integer, Integer> last = new HashMap<>();
                for (Item item = q.get(); !item.equals(stop); item = q.get()) {
                    if (item.seq() <= last.getOrDefault(item.producer(), -1)) {
                        orderViolations.add(item + " after " + last.get(item.producer()));
                    }
                    last.put(item.producer(), item.seq());
                    received.add(item);
                }
            }));
        }
        Spawned.joinAll(producing);
        for (int c = 0; c < consumers; c++) {
            q.put(stop);
        }
        Spawned.joinAll(consuming);
        assertEquals(List.of(), List.copyOf(orderViolations), "each consumer sees each producer's items in order");
        assertEquals(producers * each, received.size(), "nothing lost");
        assertEquals(producers * each, new HashSet<>(received).size(), "nothing twice");
    }

    /** Python's put and get raise ValueError("Queue ... is closed"); pyloom refuses every use alike. */
    @Test
    void aClosedQueueRefusesEveryUseInThisProcess() throws Exception {
        Queue<Integer> q = queue(Integer.class, 0);
        q.put(1);
        q.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> q.put(2));
        assertEquals("queue is closed", e.getMessage());
        assertThrows(IllegalStateException.class, () -> q.putNowait(2));
        assertThrows(IllegalStateException.class, () -> q.put(2, Duration.ofSeconds(1)));
        assertThrows(IllegalStateException.class, q::get);
        assertThrows(IllegalStateException.class, q::getNowait);
        assertThrows(IllegalStateException.class, () -> q.get(Duration.ofSeconds(1)));
        assertThrows(IllegalStateException.class, q::qsize);
        assertThrows(IllegalStateException.class, q::empty);
        assertThrows(IllegalStateException.class, q::full, "an unbounded queue too");
    }

    @Test
    void closingAQueueTwiceIsHarmless() throws Exception {
        Queue<Integer> q = queue(Integer.class, 0);
        q.close();
        q.close();
        assertTrue(q.toString().contains("closed"), q.toString());
    }

    @Test
    void aClosedQueueGivesNoHandle() throws Exception {
        Queue<Integer> q = queue(Integer.class, 0);
        q.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, q::toHandle);
        assertEquals("queue is closed", e.getMessage());
    }

    /** Inside a message it is a value that cannot be encoded, as for put(obj) of any such value. */
    @Test
    void aClosedQueueCannotTravelInsideAMessage() throws Exception {
        Queue<Integer> q = queue(Integer.class, 0);
        q.close();
        try (Queue<Object> carrier = Queue.create()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> carrier.put(List.of(q)));
            assertTrue(e.getMessage().contains("queue is closed"), e.getMessage());
        }
    }

    @Test
    void aClosedJoinableQueueRefusesTaskDoneAndJoin() throws Exception {
        JoinableQueue<Integer> q = closedAfterwards(view(JoinableQueue.of(Integer.class), Integer.class));
        q.close();
        assertThrows(IllegalStateException.class, q::taskDone);
        assertThrows(IllegalStateException.class, q::join);
    }

    @Test
    void aNegativeTimeoutIsRejected() throws Exception {
        Queue<Integer> q = queue(Integer.class, 0);
        assertThrows(IllegalArgumentException.class, () -> q.get(Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> q.put(1, Duration.ofMillis(-1)));
    }

    @Test
    void taskDoneBeyondThePutsThrows() throws Exception {
        JoinableQueue<Integer> owner = JoinableQueue.of(Integer.class);
        JoinableQueue<Integer> q = closedAfterwards(view(owner, Integer.class));
        q.put(1);
        q.get();
        q.taskDone();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, q::taskDone);
        assertEquals("task_done() called too many times", e.getMessage());
    }

    @Test
    void joinWaitsUntilEveryTaskIsDone() throws Exception {
        JoinableQueue<Integer> owner = JoinableQueue.of(Integer.class);
        JoinableQueue<Integer> q = closedAfterwards(view(owner, Integer.class));
        q.join(); // nothing unfinished: returns at once
        q.put(1);
        q.put(2);
        Spawned<Void> joiner = Spawned.run(q::join).awaitBlocked();
        q.get();
        q.taskDone();
        assertFalse(joiner.isDone());
        q.get();
        q.taskDone();
        joiner.join();
    }

    @Test
    void joinCountsThisProcessesOwnPutsJustMade() throws Exception {
        JoinableQueue<Integer> owner = JoinableQueue.of(Integer.class);
        JoinableQueue<Integer> q = closedAfterwards(view(owner, Integer.class));
        q.put(1);
        Spawned<Void> joiner = Spawned.run(q::join).awaitBlocked();
        assertFalse(joiner.isDone(), "the put just made is unfinished");
        owner.get();
        owner.taskDone();
        joiner.join();
    }

    @Test
    void aHandleOfAJoinableQueueGivesAJoinableQueue() throws Exception {
        JoinableQueue<Integer> owner = JoinableQueue.of(Integer.class);
        try (Queue<Integer> q = Queue.fromHandle(owner.toHandle(), Integer.class)) {
            assertInstanceOf(JoinableQueue.class, q);
        }
    }

    @Test
    void itemsAreCopiesNotShared() throws Exception {
        Queue<Object> owner = Queue.create();
        Queue<Object> q = closedAfterwards(view(owner, Object.class));
        List<String> original = new ArrayList<>(List.of("a"));
        q.put(original);
        original.add("changed after put");
        assertEquals(List.of("a"), q.get());
    }

    @Test
    void toStringNamesTypeAndBound() throws Exception {
        Queue<Integer> q = queue(Integer.class, 3);
        assertTrue(q.toString().contains("Integer") && q.toString().contains("maxsize=3"), q.toString());
    }

    @Test
    void anItemOfTheWrongShapeForTheTypeIsMalformed() throws Exception {
        Queue<Object> owner = Queue.create();
        owner.put(Map.of("not", "an item"));
        try (Queue<Item> typed = Queue.fromHandle(owner.toHandle(), Item.class)) {
            assertThrows(MalformedMessageException.class, typed::get);
        }
    }

    static Set<Integer> range(int n) {
        Set<Integer> all = new HashSet<>();
        for (int i = 0; i < n; i++) {
            all.add(i);
        }
        return all;
    }
}

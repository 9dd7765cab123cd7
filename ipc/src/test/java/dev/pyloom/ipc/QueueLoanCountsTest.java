package dev.pyloom.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.testing.Spawned;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** qsize, empty, full and getNowait of processes other than the borrower while a loan is out. */
class QueueLoanCountsTest {

    /** The owner put 10, a consumer took 1 and went idle with 9 on loan: the owner counts and gets those 9. */
    @Test
    void theOwnerCountsItsOwnPutsThatNobodyTook() throws Exception {
        Queue<Integer> owner = Queue.of(Integer.class);
        for (int i = 0; i < 10; i++) {
            owner.put(i);
        }
        try (Queue<Integer> consumer = Queue.fromHandle(owner.toHandle(), Integer.class)) {
            assertEquals(0, consumer.get());
            assertEquals(9, consumer.qsize(), "the consumer's own count is exact");
            Spawned.awaitUntil(() -> owner.qsize() == 9); // the owner reads the consumer's "took" in its own time
            assertFalse(owner.empty());
            assertEquals(1, owner.getNowait(), "the loan is recalled even for a get that does not wait");
        }
    }

    /** A second consumer's get_nowait raises Empty while 9 items wait untaken in an idle borrower. */
    @Test
    void aSecondConsumersGetNowaitSeesTheLentItems() throws Exception {
        Queue<Integer> owner = Queue.of(Integer.class);
        for (int i = 0; i < 10; i++) {
            owner.put(i);
        }
        try (Queue<Integer> a = Queue.fromHandle(owner.toHandle(), Integer.class);
                Queue<Integer> b = Queue.fromHandle(owner.toHandle(), Integer.class)) {
            assertEquals(0, a.get());
            assertEquals(1, b.getNowait(), "9 items wait, untaken, in an idle process");
        }
    }

    /** Bounded: full() says no while put_nowait says Full, for as long as the consumer holds its loan. */
    @Test
    void fullAgreesWithPutNowait() throws Exception {
        Queue<Integer> owner = Queue.of(Integer.class, 4);
        for (int i = 0; i < 4; i++) {
            owner.put(i);
        }
        try (Queue<Integer> consumer = Queue.fromHandle(owner.toHandle(), Integer.class)) {
            assertEquals(0, consumer.get());
            Spawned.awaitUntil(() -> {
                try {
                    owner.putNowait(4);
                    return true;
                } catch (QueueFullException notYet) {
                    return false;
                }
            });
            assertThrows(QueueFullException.class, () -> owner.putNowait(5));
            assertEquals(true, owner.full(), "full() while put_nowait raises Full (qsize " + owner.qsize() + ")");
        }
    }

    /** A remote queue dropped without close(): its reader thread and connection go with it. */
    @Test
    void aDroppedBorrowerIsCleanedUp() throws Exception {
        Queue<Integer> owner = Queue.of(Integer.class);
        for (int i = 0; i < 100; i++) {
            owner.put(i);
        }
        Set<Thread> before = readers();
        dropAfterTakingOne(owner);
        // This consumer's reader: others, of tests run earlier in this JVM, may still be ending.
        Set<Thread> mine = readers();
        mine.removeAll(before);
        Spawned.awaitUntil(() -> {
            System.gc();
            return mine.stream().noneMatch(Thread::isAlive);
        });
        Spawned.awaitUntil(() -> owner.qsize() == 99);
        for (int i = 1; i < 100; i++) {
            assertEquals(i, owner.get(Duration.ofSeconds(5)));
        }
        assertFalse(owner.qsize() > 0);
    }

    private static void dropAfterTakingOne(Queue<Integer> owner) throws Exception {
        Queue<Integer> consumer = Queue.fromHandle(owner.toHandle(), Integer.class);
        assertEquals(0, consumer.get());
    }

    private static Set<Thread> readers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("pyloom-ipc-queue-consumer"))
                .collect(java.util.stream.Collectors.toCollection(java.util.HashSet::new));
    }

    /**
     * A consumer took every item and closed its queue; close() waits for nothing (nothing held),
     * so the owner may not yet have read its tooks. Owner's qsize right after close() returned.
     */
    @Test
    void ownersQsizeRightAfterAConsumerThatTookEverythingClosed() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
            Queue<Integer> owner = Queue.of(Integer.class);
            for (int i = 0; i < 512; i++) {
                owner.put(i);
            }
            Queue<Integer> view = Queue.fromHandle(owner.toHandle(), Integer.class);
            for (int i = 0; i < 512; i++) {
                assertEquals(i, view.get(Duration.ofSeconds(5)));
            }
            view.close();
            int q = owner.qsize();
            if (q != 0) {
                wrong.add("round " + round + ": qsize " + q);
            }
            dev.pyloom.testing.Spawned.awaitUntil(() -> owner.qsize() == 0);
            org.junit.jupiter.api.Assertions.assertThrows(QueueEmptyException.class, owner::getNowait, "nothing comes back twice");
        }
        assertTrue(wrong.isEmpty(), wrong.size() + " of 20: " + wrong.subList(0, Math.min(5, wrong.size())));
    }
}

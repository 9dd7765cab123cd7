package dev.pyloom.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pyloom.ipc.programs.QueueCourier;
import dev.pyloom.ipc.programs.QueueDoubler;
import dev.pyloom.ipc.programs.QueueProducer;
import dev.pyloom.ipc.programs.TakesSomeThenWaits;
import dev.pyloom.testing.ChildJvm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Queues shared with real child JVMs: producers, workers, and a worker that dies. */
class ChildProcessQueueTest {

    @Test
    void itemsFromSeveralChildProcessesArriveOnceEachInEachProducersOrder() throws Exception {
        Queue<QueueProducer.Item> queue = Queue.of(QueueProducer.Item.class);
        int producers = 3;
        int each = 2_000;
        List<ChildJvm> children = new ArrayList<>();
        try {
            for (int p = 0; p < producers; p++) {
                children.add(ChildJvm.start(QueueProducer.class, queue.toHandle(), String.valueOf(p), String.valueOf(each)));
            }
            Map<Integer, Integer> next = new HashMap<>();
            Set<QueueProducer.Item> seen = new HashSet<>();
            for (int n = 0; n < producers * each; n++) {
                QueueProducer.Item item = queue.get(ChildJvm.PATIENCE);
                assertEquals(next.getOrDefault(item.producer(), 0), item.seq(), "in producer order");
                next.put(item.producer(), item.seq() + 1);
                seen.add(item);
            }
            assertEquals(producers * each, seen.size(), "each item once");
            for (ChildJvm child : children) {
                ChildJvm.Result result = child.await();
                assertEquals(0, result.exitCode(), result.stderr());
            }
            assertThrows(QueueEmptyException.class, queue::getNowait, "nothing extra");
        } finally {
            for (ChildJvm child : children) {
                child.close();
            }
        }
    }

    @Test
    void childWorkersAndAJoinableQueue() throws Exception {
        JoinableQueue<Integer> jobs = JoinableQueue.of(Integer.class);
        Queue<Integer> results = Queue.of(Integer.class);
        int workers = 2;
        List<ChildJvm> children = new ArrayList<>();
        try {
            for (int w = 0; w < workers; w++) {
                children.add(ChildJvm.start(QueueDoubler.class, jobs.toHandle(), results.toHandle()));
            }
            for (int i = 0; i < 500; i++) {
                jobs.put(i);
            }
            jobs.join(); // every job done, by whichever worker
            Set<Integer> doubled = new HashSet<>();
            for (int i = 0; i < 500; i++) {
                doubled.add(results.get(ChildJvm.PATIENCE));
            }
            Set<Integer> expected = new HashSet<>();
            for (int i = 0; i < 500; i++) {
                expected.add(2 * i);
            }
            assertEquals(expected, doubled);
            for (int w = 0; w < workers; w++) {
                jobs.put(-1);
            }
            jobs.join();
            for (ChildJvm child : children) {
                assertEquals(0, child.await().exitCode());
            }
        } finally {
            for (ChildJvm child : children) {
                child.close();
            }
        }
    }

    @Test
    void aQueueInsideAMessageReachesAChildAsALiveQueue() throws Exception {
        Queue<Integer> results = Queue.of(Integer.class);
        Pipe control = Pipe.open();
        try (ChildJvm child = ChildJvm.start(QueueCourier.class, control.conn2().toHandle());
                Connection conn = control.conn1()) {
            conn.send(new QueueCourier.Job(1_000, results));
            for (int i = 0; i < 1_000; i++) {
                assertEquals(i, results.get(ChildJvm.PATIENCE));
            }
            assertEquals(0, child.await().exitCode());
        }
    }

    @Test
    void aConsumerThatDiesWhileWaitingLosesNoItem() throws Exception {
        JoinableQueue<Integer> jobs = JoinableQueue.of(Integer.class);
        Queue<Integer> results = Queue.of(Integer.class);
        try (ChildJvm doomed = ChildJvm.start(QueueDoubler.class, jobs.toHandle(), results.toHandle())) {
            jobs.put(1);
            assertEquals(2, results.get(ChildJvm.PATIENCE), "the worker is up and waiting for the next job");
            doomed.process().destroyForcibly();
            doomed.process().waitFor();
        }
        jobs.put(2); // might be handed to the dead worker's session: it must come back
        try (ChildJvm survivor = ChildJvm.start(QueueDoubler.class, jobs.toHandle(), results.toHandle())) {
            assertEquals(4, results.get(ChildJvm.PATIENCE));
            jobs.put(-1);
            assertEquals(0, survivor.await().exitCode());
        }
        assertThrows(QueueEmptyException.class, () -> results.get(Duration.ZERO));
    }

    /** The child is the queue's only consumer, so it is lent what waits; killed, it gives back all it had not taken. */
    @Test
    void aConsumerKilledWithItemsOnLoanGivesBackEveryItemItHadNotTaken() throws Exception {
        Queue<Integer> jobs = Queue.of(Integer.class);
        Queue<Integer> taken = Queue.of(Integer.class);
        for (int i = 0; i < 1_000; i++) {
            jobs.put(i);
        }
        try (ChildJvm doomed = ChildJvm.start(TakesSomeThenWaits.class, jobs.toHandle(), taken.toHandle(), "10")) {
            for (int i = 0; i < 10; i++) {
                assertEquals(i, taken.get(ChildJvm.PATIENCE));
            }
            doomed.process().destroyForcibly();
            doomed.process().waitFor();
        }
        for (int i = 10; i < 1_000; i++) {
            assertEquals(i, jobs.get(ChildJvm.PATIENCE), "what the dead consumer had not taken, in order");
        }
        assertThrows(QueueEmptyException.class, () -> jobs.get(Duration.ZERO));
    }

    /** A consumer busy elsewhere answers a recall at once: the owner's get does not wait for its next get. */
    @Test
    void aLiveConsumerBusyElsewhereGivesItsLoanBackWhenTheOwnerAsks() throws Exception {
        Queue<Integer> jobs = Queue.of(Integer.class);
        Queue<Integer> taken = Queue.of(Integer.class);
        for (int i = 0; i < 1_000; i++) {
            jobs.put(i);
        }
        try (ChildJvm busy = ChildJvm.start(TakesSomeThenWaits.class, jobs.toHandle(), taken.toHandle(), "10")) {
            for (int i = 0; i < 10; i++) {
                assertEquals(i, taken.get(ChildJvm.PATIENCE));
            }
            for (int i = 10; i < 1_000; i++) {
                assertEquals(i, jobs.get(ChildJvm.PATIENCE));
            }
            busy.process().getOutputStream().close();
            assertEquals(0, busy.await().exitCode());
        }
    }
}

package dev.pyloom.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.testing.Spawned;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The queue contract on views attached through handles: every operation goes over sockets to
 * the owner, as it does from another process. Plus what only remote views do.
 */
class RemoteQueueTest extends QueueContract {

    @Override
    <T> Queue<T> view(Queue<T> owner, Class<T> type) throws IOException {
        return Queue.fromHandle(owner.toHandle(), type);
    }

    @Override
    <T> JoinableQueue<T> view(JoinableQueue<T> owner, Class<T> type) throws IOException {
        return JoinableQueue.fromHandle(owner.toHandle(), type);
    }

    /** Python's feeder drops only the item it cannot send; here put() refuses it, at once. */
    @Test
    void anItemTooLargeForAMessageIsRefusedAloneAtPutAndTheQueueGoesOn() throws Exception {
        try (Queue<String> owner = Queue.of(String.class);
                Queue<String> remote = Queue.fromHandle(owner.toHandle(), String.class)) {
            remote.put("before");
            String huge = "x".repeat(dev.pyloom.ipc.internal.FrameChannel.DEFAULT_MAX_FRAME_BYTES);
            FrameTooLargeException e = assertThrows(FrameTooLargeException.class, () -> remote.put(huge));
            assertTrue(e.getMessage().contains("limit of " + (64 << 20) + " bytes"), e.getMessage());
            assertEquals(64 << 20, e.limit());
            remote.put("after");
            assertEquals(2, remote.qsize());
            assertEquals("before", owner.get());
            assertEquals("after", owner.get());
        }
    }

    @Test
    void aConsumerThatClosesLeavesEverythingElseToOthers() throws Exception {
        Queue<Integer> owner = Queue.of(Integer.class);
        for (int i = 0; i < 1_000; i++) {
            owner.put(i);
        }
        Queue<Integer> consumer = Queue.fromHandle(owner.toHandle(), Integer.class);
        for (int i = 0; i < 100; i++) {
            assertEquals(i, consumer.get());
        }
        consumer.close();
        assertEquals(900, owner.qsize(), "close() gives back what the consumer was lent and had not taken");
        for (int i = 100; i < 1_000; i++) {
            assertEquals(i, owner.get());
        }
    }

    @Test
    void competingRemoteConsumersEachSeeEveryProducersOrder() throws Exception {
        Queue<QueueContract.Item> owner = Queue.of(QueueContract.Item.class);
        int each = 2_000;
        List<Spawned<List<QueueContract.Item>>> consumers = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            consumers.add(Spawned.call(() -> {
                List<QueueContract.Item> got = new ArrayList<>();
                try (Queue<QueueContract.Item> view = Queue.fromHandle(owner.toHandle(), QueueContract.Item.class)) {
                    for (QueueContract.Item item = view.get(); item.seq() >= 0; item = view.get()) {
                        got.add(item);
                    }
                }
                return got;
            }));
        }
        try (Queue<QueueContract.Item> producer = Queue.fromHandle(owner.toHandle(), QueueContract.Item.class)) {
            for (int i = 0; i < each; i++) {
                producer.put(new QueueContract.Item(7, i));
            }
            for (int c = 0; c < consumers.size(); c++) {
                producer.put(new QueueContract.Item(7, -1));
            }
        }
        int total = 0;
        for (Spawned<List<QueueContract.Item>> consumer : consumers) {
            List<QueueContract.Item> got = consumer.join();
            for (int i = 1; i < got.size(); i++) {
                assertTrue(got.get(i - 1).seq() < got.get(i).seq(), "each consumer sees the producer's order");
            }
            total += got.size();
        }
        assertEquals(each, total);
    }

    @Test
    void anInterruptedRemoteGetLosesNoItem() throws Exception {
        Queue<Integer> owner = Queue.of(Integer.class);
        try (Queue<Integer> consumer = Queue.fromHandle(owner.toHandle(), Integer.class)) {
            Spawned<Integer> waiting = Spawned.call(consumer::get);
            Spawned.awaitUntil(() -> owner.qsize() == 0 && waiting.thread().getState() != Thread.State.RUNNABLE);
            waiting.thread().interrupt();
            assertInstanceOf(InterruptedIOException.class, waiting.failure());
            owner.put(42);
            assertEquals(42, consumer.get(), "the item put after the interrupt is not lost");
        }
    }

    @Test
    void aWorkersFollowUpPutIsCountedBeforeItsTaskDone() throws Exception {
        // The worker pattern: get a job, put a follow-up job, mark the first done. join() in the
        // owner must not return while the follow-up is unfinished.
        JoinableQueue<Integer> owner = JoinableQueue.of(Integer.class);
        owner.put(1);
        try (JoinableQueue<Integer> worker = JoinableQueue.fromHandle(owner.toHandle(), Integer.class)) {
            for (int round = 0; round < 50; round++) {
                assertEquals(round + 1, worker.get());
                worker.put(round + 2);
                worker.taskDone();
                assertEquals(1, owner.qsize(), "the follow-up is in the queue, unfinished");
            }
            Spawned<Void> joiner = Spawned.run(owner::join).awaitBlocked();
            assertTrue(!joiner.isDone());
            assertEquals(51, worker.get());
            worker.taskDone();
            joiner.join();
        }
    }

    @Test
    void aQueueHandleCannotBeRewrittenToReachAnotherObject() throws Exception {
        Pipe pipe = Pipe.open();
        String pipeHandle = pipe.conn2().toHandle();
        String queueHandle = Queue.create().toHandle();
        long pipeId = Long.parseLong(pipeHandle.replaceAll(".*\"id\":(\\d+).*", "$1"));
        String forged = queueHandle.replace("\"pyloom\":\"queue\"", "\"pyloom\":\"connection\"")
                .replaceAll("\"id\":\\d+", "\"id\":" + pipeId);
        IOException e = assertThrows(IOException.class, () -> Connection.fromHandle(forged));
        assertTrue(e.getMessage().contains("cannot attach"), e.getMessage());
        Connection.fromHandle(pipeHandle).close(); // the rightful holder still can
        pipe.conn1().close();
    }

    @Test
    void aSimpleQueuesHandleIsNotAQueuesHandle() throws Exception {
        SimpleQueue<Integer> simple = SimpleQueue.of(Integer.class);
        MalformedMessageException e = assertThrows(MalformedMessageException.class,
                () -> Queue.fromHandle(simple.toHandle(), Integer.class));
        assertEquals("this handle is for a simple queue, not a queue or joinable queue", e.getMessage());
        assertThrows(MalformedMessageException.class, () -> JoinableQueue.fromHandle(Queue.create().toHandle(), Object.class));
    }

    @Test
    void aQueueInsideAMessageArrivesAsAQueueOfTheDeclaredType() throws Exception {
        record Work(String name, Queue<Integer> results) {}
        Queue<Integer> results = Queue.of(Integer.class);
        Pipe pipe = Pipe.open();
        pipe.conn1().send(new Work("sum", results));
        Work work = pipe.conn2().recv(Work.class);
        work.results().put(42);
        assertEquals(42, results.get());
        work.results().close();
        pipe.conn1().close();
        pipe.conn2().close();
    }

    /** The owner's get recalls the loan of a remote consumer that is not getting: it gets the next item, not a later one. */
    @Test
    void theOwnerTakingRecallsTheLoanAndEveryoneGoesOnInOrder() throws Exception {
        Queue<Integer> owner = Queue.of(Integer.class);
        for (int i = 0; i < 100; i++) {
            owner.put(i);
        }
        try (Queue<Integer> remote = Queue.fromHandle(owner.toHandle(), Integer.class)) {
            assertEquals(0, remote.get());
            assertEquals(99, remote.qsize(), "what it has on loan counts in its own size");
            assertEquals(1, owner.get(Duration.ofMinutes(1)));
            assertEquals(98, owner.qsize(), "the loan is back");
            for (int i = 2; i < 100; i += 2) {
                assertEquals(i, remote.get());
                assertEquals(i + 1, owner.get());
            }
            assertThrows(QueueEmptyException.class, () -> remote.get(Duration.ZERO));
        }
    }

    @Test
    void aSecondRemoteConsumerRecallsTheFirstOnesLoan() throws Exception {
        Queue<Integer> owner = Queue.of(Integer.class);
        for (int i = 0; i < 100; i++) {
            owner.put(i);
        }
        try (Queue<Integer> first = Queue.fromHandle(owner.toHandle(), Integer.class);
                Queue<Integer> second = Queue.fromHandle(owner.toHandle(), Integer.class)) {
            assertEquals(0, first.get());
            for (int i = 1; i < 99; i += 2) {
                assertEquals(i, second.get(Duration.ofMinutes(1)));
                assertEquals(i + 1, first.get());
            }
            assertEquals(99, second.get());
            second.close();
            owner.put(100);
            owner.put(101);
            assertEquals(100, first.get(), "alone again");
            assertEquals(101, first.get());
        }
    }

    /** An item on loan is still in the queue until taken: it keeps its room in a bounded one. */
    @Test
    void itemsOnLoanKeepTheirRoomInABoundedQueue() throws Exception {
        Queue<Integer> owner = Queue.of(Integer.class, 3);
        for (int i = 0; i < 3; i++) {
            owner.put(i);
        }
        try (Queue<Integer> remote = Queue.fromHandle(owner.toHandle(), Integer.class)) {
            assertEquals(0, remote.get());
            Spawned.awaitUntil(() -> {
                try {
                    owner.putNowait(3);
                    return true;
                } catch (QueueFullException notYet) {
                    return false; // the owner has not yet read that 0 was taken
                }
            });
            assertThrows(QueueFullException.class, () -> owner.putNowait(4), "1 and 2 are on loan, 3 in the owner");
            assertEquals(1, remote.get());
            assertEquals(2, remote.get());
            assertEquals(3, remote.get());
        }
    }

    /** A JoinableQueue's worker with items on loan: task_done and join count them as the owner's. */
    @Test
    void joinWaitsForItemsOnLoan() throws Exception {
        JoinableQueue<Integer> owner = JoinableQueue.of(Integer.class);
        for (int i = 0; i < 10; i++) {
            owner.put(i);
        }
        try (JoinableQueue<Integer> worker = JoinableQueue.fromHandle(owner.toHandle(), Integer.class)) {
            assertEquals(0, worker.get());
            worker.taskDone();
            Spawned<Void> joiner = Spawned.run(owner::join).awaitBlocked();
            for (int i = 1; i < 10; i++) {
                assertEquals(i, worker.get());
                assertTrue(!joiner.isDone());
                worker.taskDone();
            }
            joiner.join();
        }
    }
}

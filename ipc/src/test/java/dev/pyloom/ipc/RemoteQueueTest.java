package dev.pyloom.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
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

    @Test
    void itemsAFastConsumerFetchedButDidNotUseGoBackOnClose() throws Exception {
        Queue<Integer> owner = Queue.of(Integer.class);
        for (int i = 0; i < 1_000; i++) {
            owner.put(i);
        }
        Queue<Integer> consumer = Queue.fromHandle(owner.toHandle(), Integer.class);
        List<Integer> got = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            got.add(consumer.get()); // quick gets grow the batches it fetches
        }
        consumer.close();
        for (int i = 0; i < 900; i++) {
            got.add(owner.get());
        }
        assertEquals(QueueContract.range(1_000), new java.util.HashSet<>(got));
        assertEquals(1_000, got.size());
        assertThrows(QueueEmptyException.class, owner::getNowait);
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
}

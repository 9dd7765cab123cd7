package dev.pyloom.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.core.HazelcastInstance;
import dev.pyloom.cluster.internal.HazelcastSetup;
import dev.pyloom.ipc.MalformedMessageException;
import dev.pyloom.ipc.QueueEmptyException;
import dev.pyloom.ipc.QueueFullException;
import dev.pyloom.ipc.TypeRef;
import dev.pyloom.multiprocessing.AsyncResult;
import dev.pyloom.multiprocessing.Pool;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link ClusterQueue} on two in-JVM nodes: Python's {@code multiprocessing.Queue} contract, across machines. */
class ClusterQueueTest {

    private static LoopbackCluster cluster;

    record Point(int x, int y) {}

    /** An item of a producer: which one, and its place in that producer's order. */
    record Tagged(int producer, int seq) {}

    @BeforeAll
    static void startNodes() {
        cluster = new LoopbackCluster();
        cluster.start("a", 1);
        cluster.start("b", 1);
    }

    @AfterAll
    static void stopNodes() {
        cluster.close();
    }

    private static <T> ClusterQueue.Builder<T> queue(String name, Class<T> type) {
        return ClusterQueue.builder(name, type).cluster(cluster.name).members(cluster.member()).authKey(cluster.key);
    }

    /** A name no other test uses: the queues of one cluster outlive their connections. */
    private static String fresh(String what) {
        return what + "-" + UUID.randomUUID();
    }

    @Test
    void itemsArriveInOrderThroughAnotherConnection() throws IOException {
        String name = fresh("order");
        try (ClusterQueue<Integer> producer = queue(name, Integer.class).connect();
                ClusterQueue<Integer> consumer = queue(name, Integer.class).connect()) {
            List<Integer> items = IntStream.range(0, 100).boxed().toList();
            for (int item : items) {
                producer.put(item);
            }
            List<Integer> got = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                got.add(consumer.get());
            }
            assertEquals(items, got);
            assertTrue(consumer.empty());
        }
    }

    @Test
    void itemsDecodeAsTheQueueType() throws IOException {
        String name = fresh("typed");
        try (ClusterQueue<Point> producer = queue(name, Point.class).connect();
                ClusterQueue<Point> consumer = queue(name, Point.class).connect()) {
            producer.put(new Point(1, 2));
            assertEquals(new Point(1, 2), consumer.get());
        }
    }

    @Test
    void itemsDecodeAsAGenericType() throws IOException {
        String name = fresh("generic");
        TypeRef<List<Point>> points = new TypeRef<>() {};
        try (ClusterQueue<List<Point>> producer = ClusterQueue.builder(name, points).cluster(cluster.name)
                .members(cluster.member()).authKey(cluster.key).connect();
                ClusterQueue<List<Point>> consumer = ClusterQueue.builder(name, points).cluster(cluster.name)
                        .members(cluster.member()).authKey(cluster.key).connect()) {
            producer.put(List.of(new Point(1, 2), new Point(3, 4)));
            assertEquals(List.of(new Point(1, 2), new Point(3, 4)), consumer.get());
        }
    }

    @Test
    void getNowaitOnAnEmptyQueueThrowsQueueEmpty() throws IOException {
        try (ClusterQueue<String> q = queue(fresh("empty"), String.class).connect()) {
            assertThrows(QueueEmptyException.class, q::getNowait);
        }
    }

    @Test
    void getWithATimeoutThrowsQueueEmptyWhenNothingComes() throws IOException {
        try (ClusterQueue<String> q = queue(fresh("timeout"), String.class).connect()) {
            assertThrows(QueueEmptyException.class, () -> q.get(Duration.ofMillis(300)));
        }
    }

    @Test
    void putNowaitOnAFullQueueThrowsQueueFull() throws IOException {
        String name = fresh("full");
        try (ClusterQueue<String> producer = queue(name, String.class).maxsize(2).connect();
                ClusterQueue<String> consumer = queue(name, String.class).maxsize(2).connect()) {
            producer.put("a");
            producer.putNowait("b");
            assertTrue(producer.full());
            assertEquals(2, producer.qsize());
            assertThrows(QueueFullException.class, () -> producer.putNowait("c"));
            assertEquals("a", consumer.getNowait());
            producer.putNowait("c");
            assertEquals("b", consumer.get());
            assertEquals("c", consumer.get());
        }
    }

    @Test
    void putWithATimeoutOnAFullQueueThrowsQueueFull() throws IOException {
        try (ClusterQueue<String> q = queue(fresh("full-timeout"), String.class).maxsize(1).connect()) {
            q.put("a");
            assertThrows(QueueFullException.class, () -> q.put("b", Duration.ofMillis(300)));
            assertEquals(1, q.qsize());
        }
    }

    @Test
    void aPutToAFullQueueWaitsForAConsumerToMakeRoom() throws Exception {
        String name = fresh("room");
        try (ClusterQueue<String> producer = queue(name, String.class).maxsize(1).connect();
                ClusterQueue<String> consumer = queue(name, String.class).maxsize(1).connect();
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            producer.put("first");
            Future<?> second = threads.submit(() -> {
                producer.put("second");
                return null;
            });
            assertFalse(second.isDone());
            assertEquals("first", consumer.get());
            second.get(30, TimeUnit.SECONDS);
            assertEquals("second", consumer.get());
        }
    }

    @Test
    void aQueueKeepsTheMaxsizeItWasMadeWith() throws IOException {
        String name = fresh("maxsize");
        try (ClusterQueue<String> q = queue(name, String.class).maxsize(3).connect()) {
            assertEquals(3, q.maxsize());
            IllegalStateException other = assertThrows(IllegalStateException.class,
                    () -> queue(name, String.class).maxsize(4).connect());
            assertTrue(other.getMessage().contains("maxsize"), other.getMessage());
            assertThrows(IllegalStateException.class, () -> queue(name, String.class).connect());
            try (ClusterQueue<String> same = queue(name, String.class).maxsize(3).connect()) {
                assertEquals(3, same.maxsize());
            }
        }
    }

    @Test
    void anUnsignedItemIsRefusedAndTheQueueGoesOn() throws IOException {
        String name = fresh("unsigned");
        HazelcastInstance stranger = strangersClient();
        try (ClusterQueue<String> producer = queue(name, String.class).connect();
                ClusterQueue<String> consumer = queue(name, String.class).connect()) {
            producer.put("before");
            stranger.getQueue(ClusterQueue.HAZELCAST_PREFIX + name).offer("\"forged\"".getBytes(StandardCharsets.UTF_8));
            producer.put("after");

            assertEquals("before", consumer.get());
            SecurityException refused = assertThrows(SecurityException.class, consumer::get);
            assertTrue(refused.getMessage().contains("not signed with the cluster's key"), refused.getMessage());
            assertEquals("after", consumer.get());
        } finally {
            stranger.shutdown();
        }
    }

    @Test
    void anItemSignedWithAnotherKeyIsRefused() throws IOException {
        String name = fresh("other-key");
        byte[] otherKey = "not the cluster's key, but long enough".getBytes(StandardCharsets.UTF_8);
        try (ClusterQueue<String> stranger = ClusterQueue.builder(name, String.class).cluster(cluster.name)
                .members(cluster.member()).authKey(otherKey).connect();
                ClusterQueue<String> consumer = queue(name, String.class).connect()) {
            stranger.put("forged");
            assertThrows(SecurityException.class, consumer::get);
            assertTrue(consumer.empty());
        }
    }

    @Test
    void anItemCopiedFromAnotherQueueIsRefused() throws IOException {
        String from = fresh("copied-from");
        String to = fresh("copied-to");
        HazelcastInstance stranger = strangersClient();
        try (ClusterQueue<String> source = queue(from, String.class).connect();
                ClusterQueue<String> consumer = queue(to, String.class).connect()) {
            source.put("meant for the other queue");
            Object signedForTheOther = stranger.getQueue(ClusterQueue.HAZELCAST_PREFIX + from).peek();
            stranger.getQueue(ClusterQueue.HAZELCAST_PREFIX + to).offer(signedForTheOther);

            assertThrows(SecurityException.class, consumer::get);
            assertEquals("meant for the other queue", source.get());
        } finally {
            stranger.shutdown();
        }
    }

    /** A class whose deserialization would show: a gadget chain starts so. */
    static final class Gadget implements Serializable {
        private static final long serialVersionUID = 1L;
        static final AtomicBoolean DESERIALIZED = new AtomicBoolean();

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            DESERIALIZED.set(true);
        }
    }

    @Test
    void aJavaSerializedObjectIsRefusedUnread() throws IOException {
        String name = fresh("gadget");
        HazelcastInstance stranger = strangersClient();
        try (ClusterQueue<String> consumer = queue(name, String.class).connect()) {
            stranger.getQueue(ClusterQueue.HAZELCAST_PREFIX + name).offer(new Gadget());
            assertThrows(SecurityException.class, consumer::get);
            assertFalse(Gadget.DESERIALIZED.get());
            assertTrue(consumer.empty());
        } finally {
            stranger.shutdown();
        }
    }

    /** A bare Hazelcast client of the cluster: what anyone who reaches a node's port can run. */
    private static HazelcastInstance strangersClient() {
        return HazelcastClient.newHazelcastClient(HazelcastSetup.client(cluster.name, List.of(cluster.member()),
                Duration.ofSeconds(30)));
    }

    @Test
    void timeoutsFollowTheConventions() throws IOException {
        try (ClusterQueue<String> q = queue(fresh("conventions"), String.class).connect()) {
            assertThrows(NullPointerException.class, () -> q.get(null));
            assertThrows(NullPointerException.class, () -> q.put("x", null));
            assertThrows(IllegalArgumentException.class, () -> q.get(Duration.ofMillis(-1)));
            assertThrows(IllegalArgumentException.class, () -> q.put("x", Duration.ofMillis(-1)));
            assertTrue(q.empty());
        }
    }

    @Test
    void aClosedQueueRefusesUseAndClosesAgainQuietly() throws IOException {
        ClusterQueue<String> q = queue(fresh("closed"), String.class).maxsize(5).connect();
        q.close();
        q.close();
        assertThrows(IllegalStateException.class, q::qsize);
        assertThrows(IllegalStateException.class, () -> q.put("x"));
        assertThrows(IllegalStateException.class, q::getNowait);
        assertEquals(5, q.maxsize());
    }

    @Test
    void anInterruptedGetEndsAndTakesNothing() throws Exception {
        String name = fresh("interrupt");
        try (ClusterQueue<String> producer = queue(name, String.class).connect();
                ClusterQueue<String> consumer = queue(name, String.class).connect()) {
            CompletableFuture<String> outcome = new CompletableFuture<>();
            Thread waiting = Thread.ofVirtual().start(() -> {
                try {
                    outcome.complete(consumer.get());
                } catch (IOException | RuntimeException e) {
                    outcome.completeExceptionally(e);
                }
            });
            waiting.interrupt();
            assertTrue(waiting.join(Duration.ofSeconds(30)), "the interrupted get has not ended");
            ExecutionException ended = assertThrows(ExecutionException.class, outcome::get);
            assertEquals(InterruptedIOException.class, ended.getCause().getClass());

            producer.put("kept");
            assertEquals("kept", consumer.get(Duration.ofSeconds(10)));
        }
    }

    @Test
    void aGetInAnInterruptedThreadThrowsInterruptedIOExceptionAndKeepsTheStatus() throws IOException {
        try (ClusterQueue<String> q = queue(fresh("interrupted"), String.class).connect()) {
            Thread.currentThread().interrupt();
            try {
                assertThrows(InterruptedIOException.class, q::get);
                assertTrue(Thread.currentThread().isInterrupted());
            } finally {
                Thread.interrupted();
            }
        }
    }

    @Test
    void aQueueNameIsPlainText() {
        assertThrows(IllegalArgumentException.class, () -> ClusterQueue.builder("jobs*", String.class));
        assertThrows(IllegalArgumentException.class, () -> ClusterQueue.builder("jobs@key", String.class));
        assertThrows(IllegalArgumentException.class, () -> ClusterQueue.builder("", String.class));
    }

    @Test
    void onThisNodeOutsideANodesWorkerSaysWhatToDoInstead() {
        IllegalStateException outside = assertThrows(IllegalStateException.class,
                () -> ClusterQueue.onThisNode("anything", String.class));
        assertTrue(outside.getMessage().contains("ClusterQueue.builder"), outside.getMessage());
    }

    /**
     * Python's producers and consumers, across connections: 4 producers of 2,000 items each and 3
     * consumers that stop at a sentinel. Every item is got exactly once, and each consumer gets
     * each producer's items in that producer's order.
     */
    @Test
    void manyProducersAndConsumersGetEveryItemOnceInEachProducersOrder() throws Exception {
        String name = fresh("many");
        int producers = 4;
        int perProducer = 2_000;
        int consumers = 3;
        Tagged sentinel = new Tagged(-1, -1);
        try (ClusterQueue<Tagged> driver = queue(name, Tagged.class).connect();
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<Tagged>>> consuming = new ArrayList<>();
            for (int c = 0; c < consumers; c++) {
                consuming.add(threads.submit(() -> {
                    List<Tagged> got = new ArrayList<>();
                    try (ClusterQueue<Tagged> q = queue(name, Tagged.class).connect()) {
                        for (Tagged item = q.get(Duration.ofSeconds(60)); !item.equals(sentinel);
                                item = q.get(Duration.ofSeconds(60))) {
                            got.add(item);
                        }
                    }
                    return got;
                }));
            }
            List<Future<?>> producing = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int producer = p;
                producing.add(threads.submit(() -> {
                    try (ClusterQueue<Tagged> q = queue(name, Tagged.class).connect()) {
                        for (int seq = 0; seq < perProducer; seq++) {
                            q.put(new Tagged(producer, seq));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> done : producing) {
                done.get(120, TimeUnit.SECONDS);
            }
            for (int c = 0; c < consumers; c++) {
                driver.put(sentinel);
            }

            Set<Tagged> all = new HashSet<>();
            int count = 0;
            for (Future<List<Tagged>> done : consuming) {
                List<Tagged> got = done.get(120, TimeUnit.SECONDS);
                int[] last = new int[producers];
                Arrays.fill(last, -1);
                for (Tagged item : got) {
                    assertTrue(item.seq() > last[item.producer()], () -> "out of order: " + item
                            + " after seq " + last[item.producer()] + " of the same producer");
                    last[item.producer()] = item.seq();
                }
                all.addAll(got);
                count += got.size();
            }
            assertEquals(producers * perProducer, count, "items got, in all");
            assertEquals(producers * perProducer, all.size(), "distinct items got");
            assertTrue(driver.empty());
        }
    }

    /**
     * The tutorial's writer and reader on two nodes: each node has one worker, so the reader and
     * the writer, submitted together, run at once and on different nodes.
     */
    @Test
    void aWriterAndAReaderOnDifferentNodes() throws Exception {
        String name = fresh("tutorial");
        try (Pool pool = cluster.pool(2)) {
            AsyncResult<ClusterQueueTasks.Read> reader = pool.applyAsync(ClusterQueueTasks::reader, name);
            AsyncResult<String> writer = pool.applyAsync(ClusterQueueTasks::writer, name, 50);

            String writerNode = writer.get(Duration.ofSeconds(60));
            ClusterQueueTasks.Read read = reader.get(Duration.ofSeconds(60));
            assertNotEquals(writerNode, read.node(), "the reader and the writer ran on the same node");
            assertEquals(IntStream.range(0, 50).mapToObj(i -> "item " + i).toList(), read.items());
        }
    }

    @Test
    void itemsStayInTheClusterAfterTheirProducerCloses() throws IOException {
        String name = fresh("stays");
        try (ClusterQueue<String> producer = queue(name, String.class).connect()) {
            producer.put("kept");
        }
        try (ClusterQueue<String> consumer = queue(name, String.class).connect()) {
            assertEquals("kept", consumer.getNowait());
        }
    }

    @Test
    void aValueThatCannotBeEncodedFailsInPut() throws IOException {
        try (ClusterQueue<Object> q = queue(fresh("encode"), Object.class).connect()) {
            assertThrows(IllegalArgumentException.class, () -> q.put(new Object()));
            assertTrue(q.empty());
        }
    }

    @Test
    void anItemOfTheWrongShapeIsAMalformedMessageAndTheQueueGoesOn() throws IOException {
        String name = fresh("shape");
        try (ClusterQueue<String> producer = queue(name, String.class).connect();
                ClusterQueue<Point> consumer = queue(name, Point.class).connect()) {
            producer.put("not a point");
            assertThrows(MalformedMessageException.class, consumer::get);
            assertThrows(QueueEmptyException.class, consumer::getNowait);
        }
    }

    @Test
    void aGetWaitsForAnItemPutLater() throws Exception {
        String name = fresh("later");
        try (ClusterQueue<String> producer = queue(name, String.class).connect();
                ClusterQueue<String> consumer = queue(name, String.class).connect();
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> waiting = threads.submit(() -> consumer.get());
            producer.put("late");
            assertEquals("late", waiting.get(30, TimeUnit.SECONDS));
        }
    }
}

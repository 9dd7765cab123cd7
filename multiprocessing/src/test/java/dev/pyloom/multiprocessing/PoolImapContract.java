package dev.pyloom.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.testing.Spawned;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code imap} and {@code imapUnordered} read their items as the workers need them, as Python's
 * task handler does: they return at once, work through iterables too large to hold (or endless
 * ones), and report what the iterable throws at its position. Specified for every pool that
 * promises the API ({@link #newPool(int)}): {@link PoolImapTest} on this machine's workers,
 * pyloom-cluster's on a cluster's nodes. One pool of two workers is shared by the tests that do
 * not end it.
 *
 * <p>The class time limit only turns a hang (an imap that reads its whole iterable first) into a
 * failure.
 */
@ExtendWith(NoChildrenLeft.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class PoolImapContract {

    private static final Duration PATIENCE = Spawned.PATIENCE;

    /** A new pool of {@code processes} workers, of the kind under test. The test ends it. */
    protected abstract Pool newPool(int processes);

    private Pool pool;

    @BeforeAll
    void startPool() {
        pool = newPool(2);
    }

    @AfterAll
    void stopPool() throws InterruptedException {
        pool.terminate();
    }

    /** 0, 1, 2, ...: {@code count} items, then, before saying whether there are more, waits for {@code gate}. */
    private static Iterable<Integer> pausingAfter(int count, int total, CountDownLatch gate) {
        return () -> new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                if (next == count) {
                    try {
                        gate.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                }
                return next < total;
            }

            @Override
            public Integer next() {
                return next++;
            }
        };
    }

    /** 0, 1, 2, then {@code failure} where item 3 would be. */
    private static Iterable<Integer> failingAtItem3(RuntimeException failure) {
        return () -> new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                if (next == 3) {
                    throw failure;
                }
                return next++;
            }
        };
    }

    private static Iterable<Integer> endless(AtomicInteger read) {
        return () -> Stream.iterate(0, i -> i + 1).peek(i -> read.incrementAndGet()).iterator();
    }

    private static List<Integer> next(ResultIterator<Integer> results, int n) throws Exception {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(results.next(PATIENCE));
        }
        return out;
    }

    // ------------------------------------------------------------------ lazily

    @Test
    public void imapYieldsResultsWhileItsIterableIsStillBeingRead() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        ResultIterator<Integer> squares = pool.imap(Tasks::square, pausingAfter(5, 8, gate));
        assertEquals(List.of(0, 1, 4, 9, 16), next(squares, 5), "the first five, while the sixth is not read yet");
        gate.countDown();
        assertEquals(List.of(25, 36, 49), next(squares, 3));
        assertFalse(squares.hasNext());
    }

    @Test
    public void imapUnorderedYieldsResultsWhileItsIterableIsStillBeingRead() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        ResultIterator<Integer> squares = pool.imapUnordered(Tasks::square, pausingAfter(4, 5, gate), 2);
        List<Integer> first = new ArrayList<>(next(squares, 4)); // two whole chunks, as Python's islice makes them
        first.sort(null);
        assertEquals(List.of(0, 1, 4, 9), first);
        gate.countDown();
        assertEquals(16, squares.next(PATIENCE));
        assertFalse(squares.hasNext());
    }

    @Test
    public void hasNextWaitsUntilTheIterableSaysWhetherThereIsMore() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        ResultIterator<Integer> squares = pool.imap(Tasks::square, pausingAfter(1, 1, gate));
        assertEquals(0, squares.next(PATIENCE));
        Spawned<Boolean> asking = Spawned.call(squares::hasNext).awaitBlocked();
        gate.countDown();
        assertFalse(asking.join(), "the iterable ended");
    }

    @Test
    public void anImapOfNoItemsHasNoNext() {
        ResultIterator<Integer> none = pool.imap(Tasks::square, List.of());
        assertFalse(none.hasNext());
        assertThrows(NoSuchElementException.class, none::next);
    }

    @Test
    public void imapOverAnEndlessIterableYieldsItsResultsInOrder() throws Exception {
        Pool own = newPool(2);
        try {
            ResultIterator<Integer> squares = own.imap(Tasks::square, endless(new AtomicInteger()));
            List<Integer> expected = Stream.iterate(0, i -> i + 1).limit(200).map(i -> i * i).toList();
            assertEquals(expected, next(squares, 200));
        } finally {
            own.terminate();
        }
    }

    /** Python's task handler would feed the endless iterable first, and the task would never run. */
    @Test
    public void aTaskSubmittedDuringAnImapDoesNotWaitForTheRestOfItsIterable() throws Exception {
        Pool own = newPool(2);
        try {
            ResultIterator<Integer> squares = own.imap(Tasks::square, endless(new AtomicInteger()));
            assertEquals(0, squares.next(PATIENCE));
            assertEquals(49, own.apply(Tasks::square, 7));
        } finally {
            own.terminate();
        }
    }

    /**
     * Python's task handler is an OS thread. The iterable is the caller's code and may compute for
     * long: on a virtual thread it would hold a carrier, starving every virtual thread of the JVM.
     */
    @Test
    public void theIterableIsReadOnAPlatformDaemonThread() throws Exception {
        CompletableFuture<Thread> reader = new CompletableFuture<>();
        Iterable<Integer> items = () -> Stream.of(1, 2).peek(i -> reader.complete(Thread.currentThread())).iterator();
        assertEquals(List.of(1, 4), next(pool.imap(Tasks::square, items), 2));
        Thread thread = reader.getNow(null);
        assertFalse(thread.isVirtual(), thread.toString());
        assertTrue(thread.isDaemon(), thread.toString());
    }

    // ------------------------------------------------------------------ results

    @Test
    public void aNullResultComesFromImapAsNull() throws Exception {
        assertEquals(Arrays.asList(0, null, 2, null, 4), next(pool.imap(Tasks::nullIfOdd, List.of(0, 1, 2, 3, 4)), 5));
        assertEquals(Arrays.asList(0, null, 2, null, 4),
                next(pool.imap(Tasks::nullIfOdd, List.of(0, 1, 2, 3, 4), 2), 5));
    }

    @Test
    public void aNullResultComesFromImapUnorderedAsNull() throws Exception {
        List<Integer> results = next(pool.imapUnordered(Tasks::nullIfOdd, List.of(0, 1, 2, 3, 4), 2), 5);
        assertEquals(2, results.stream().filter(Objects::isNull).count(), results.toString());
        assertEquals(Set.of(0, 2, 4), results.stream().filter(Objects::nonNull).collect(Collectors.toSet()));
    }

    // ------------------------------------------------------------------ a task that throws

    /** 0..19 through {@link Tasks#failAt3}, which throws for 3 and 13: whether {@code item}'s chunk fails. */
    private static boolean inAFailingChunk(int item, int chunkSize) {
        int first = item - item % chunkSize;
        for (int i = first; i < Math.min(20, first + chunkSize); i++) {
            if (i % 10 == 3) {
                return true;
            }
        }
        return false;
    }

    @Test
    public void aFailedChunkFailsEachOfItsPositionsAndTheResultsAfterItKeepTheirs() throws Exception {
        List<Integer> items = IntStream.range(0, 20).boxed().toList();
        for (int chunkSize = 1; chunkSize <= 4; chunkSize++) {
            ResultIterator<Integer> results = pool.imap(Tasks::failAt3, items, chunkSize);
            for (int item : items) {
                String where = "item " + item + ", chunks of " + chunkSize;
                if (inAFailingChunk(item, chunkSize)) {
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                            () -> results.next(PATIENCE), where);
                    assertTrue(e.getMessage().startsWith("item "), e.getMessage());
                } else {
                    assertEquals(item * item, results.next(PATIENCE), where);
                }
            }
            assertFalse(results.hasNext(), "one outcome per item, chunks of " + chunkSize);
        }
    }

    @Test
    public void imapUnorderedGivesOneOutcomePerItemWhenAChunkFails() throws Exception {
        List<Integer> items = IntStream.range(0, 20).boxed().toList();
        for (int chunkSize = 1; chunkSize <= 4; chunkSize++) {
            final int size = chunkSize;
            ResultIterator<Integer> results = pool.imapUnordered(Tasks::failAt3, items, chunkSize);
            List<Integer> values = new ArrayList<>();
            int failures = 0;
            for (int i = 0; i < items.size(); i++) {
                try {
                    values.add(results.next(PATIENCE));
                } catch (IllegalArgumentException e) {
                    failures++;
                }
            }
            assertFalse(results.hasNext(), "chunks of " + chunkSize);
            List<Integer> expected = items.stream().filter(item -> !inAFailingChunk(item, size)).map(i -> i * i).toList();
            assertEquals(expected, values.stream().sorted().toList(), "chunks of " + chunkSize);
            assertEquals(items.size() - expected.size(), failures, "chunks of " + chunkSize);
        }
    }

    // ------------------------------------------------------------------ an iterable that throws

    /** Python: imap returns; next() yields the results before the failing position, then raises there. */
    @Test
    public void whatTheIterableThrowsComesFromNextAtItsPosition() throws Exception {
        IllegalStateException missing = new IllegalStateException("item 3 is missing");
        ResultIterator<Integer> squares = pool.imap(Tasks::square, failingAtItem3(missing));
        assertEquals(List.of(0, 1, 4), next(squares, 3));
        assertSame(missing, assertThrows(IllegalStateException.class, squares::next));
        assertFalse(squares.hasNext(), "nothing after it: the iterable ended there");
    }

    /** The items read before the failure run, whatever the chunk size. */
    @Test
    public void whatTheIterableThrowsComesAfterEveryItemReadBeforeItInChunksToo() throws Exception {
        IllegalStateException missing = new IllegalStateException("item 3 is missing");
        ResultIterator<Integer> squares = pool.imap(Tasks::square, failingAtItem3(missing), 2);
        assertEquals(List.of(0, 1, 4), next(squares, 3));
        assertSame(missing, assertThrows(IllegalStateException.class, squares::next));
        assertFalse(squares.hasNext());
    }

    @Test
    public void whatTheIterableThrowsComesOnceFromImapUnorderedBesideEveryResult() throws Exception {
        IllegalStateException missing = new IllegalStateException("item 3 is missing");
        ResultIterator<Integer> squares = pool.imapUnordered(Tasks::square, failingAtItem3(missing));
        List<Integer> results = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        while (squares.hasNext()) {
            try {
                results.add(squares.next(PATIENCE));
            } catch (IllegalStateException e) {
                failures.add(e);
            }
        }
        results.sort(null);
        assertEquals(List.of(0, 1, 4), results);
        assertEquals(List.of(missing), failures);
    }

    /** Python's map turns its iterable into a list first: the failure comes from the call itself. */
    @Test
    public void whatTheIterableThrowsComesFromMapItself() {
        IllegalStateException missing = new IllegalStateException("item 3 is missing");
        assertSame(missing, assertThrows(IllegalStateException.class, () -> pool.map(Tasks::square, failingAtItem3(missing))));
        assertSame(missing, assertThrows(IllegalStateException.class,
                () -> pool.mapAsync(Tasks::square, failingAtItem3(missing))));
    }

    // ------------------------------------------------------------------ the pool's end

    /** Python's close() lets its task handler feed an imap already submitted to its end; join() waits. */
    @Test
    public void shutdownLetsAnImapInProgressReadItsWholeIterable() throws Exception {
        Pool own = newPool(2);
        try {
            CountDownLatch gate = new CountDownLatch(1);
            ResultIterator<Integer> squares = own.imap(Tasks::square, pausingAfter(2, 4, gate));
            assertEquals(List.of(0, 1), next(squares, 2));
            own.shutdown();
            gate.countDown();
            assertEquals(List.of(4, 9), next(squares, 2));
            assertFalse(squares.hasNext());
            own.join();
        } finally {
            own.terminate();
        }
    }

    @Test
    public void terminateEndsAnImapOverAnEndlessIterableWithACancellation() throws Exception {
        Pool own = newPool(2);
        ResultIterator<Integer> squares;
        try {
            squares = own.imap(Tasks::square, endless(new AtomicInteger()));
            next(squares, 10);
        } finally {
            own.terminate();
        }
        int cancellations = 0;
        while (squares.hasNext()) {
            try {
                squares.next(PATIENCE);
            } catch (CancellationException e) {
                cancellations++;
            }
        }
        assertTrue(cancellations >= 1, "the rest of the iterable is cancelled, not silently dropped");
    }

    @Test
    public void terminateStopsReadingAnEndlessIterable() throws Exception {
        Pool own = newPool(2);
        ResultIterator<Integer> squares;
        try {
            squares = own.imap(Tasks::square, endless(new AtomicInteger()));
            next(squares, 10);
        } finally {
            own.terminate();
        }
        squares.readingEnded().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }
}

package dev.pyloom.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Payloads of every size through a pool, in both directions: no frame size, chunk size or pool
 * size may hang it. Every case has its own time limit and fails, naming the case, instead of
 * hanging the build.
 *
 * <p>The sizes sit on each side of every buffer between the two processes: a connection's read
 * buffer (64 KiB), the kernel's socket buffers (about 208 KiB each way on Linux), a large
 * frame's slices (256 KiB) and its first allocation (1 MiB), and up to 8 MiB. A pool sends jobs ahead to a busy worker when more are queued than there are
 * workers, so each case queues at least twice as many jobs as workers: with frames past the
 * socket buffers, a place that wrote a job while its worker wrote an answer would deadlock.
 */
@ExtendWith(NoChildrenLeft.class)
class PoolPayloadSizesTest {

    /** Generous: a case moves at most a few hundred MiB; a hang is what this catches. */
    private static final Duration LIMIT = Duration.ofSeconds(60);

    private static final int[] SIZES = {1, 65_535, 65_536, 65_537, 212_992, 262_145, 1_048_575, 1_048_577, 8 << 20};

    /** Which way the big payload goes: in the arguments, in the results, or both. */
    enum Direction { ARGUMENTS, RESULTS, BOTH }

    static int length(String text) {
        return text.length();
    }

    static String text(int length) {
        return "y".repeat(length);
    }

    static String upper(String text) {
        return text.toUpperCase(java.util.Locale.ROOT);
    }

    static int inc(int x) {
        return x + 1;
    }

    @ParameterizedTest(name = "Pool({0})")
    @ValueSource(ints = {1, 2})
    void mapImapAndApplyAsyncMoveEveryPayloadSize(int processes) throws Exception {
        Pool pool = new Pool(processes);
        try {
            for (int size : SIZES) {
                // enough jobs to send ahead to every worker, fewer of the largest to bound memory
                int items = size >= (1 << 20) ? 2 * processes + 1 : 4 * processes + 3;
                for (Direction direction : Direction.values()) {
                    for (int chunkSize : new int[] {1, 0, items}) {
                        // a whole-list chunk is one job (nothing is sent ahead): two items make it large enough
                        int count = chunkSize == items && size >= (1 << 20) ? 2 : items;
                        String what = direction + " of " + size + " bytes, " + count + " items, chunk size "
                                + (chunkSize == 0 ? "default" : chunkSize == items ? "whole list" : chunkSize)
                                + ", Pool(" + processes + ")";
                        check(what, () -> map(pool, direction, size, count, chunkSize == items ? count : chunkSize));
                    }
                    String imap = direction + " of " + size + " bytes through imap, Pool(" + processes + ")";
                    check(imap, () -> imap(pool, direction, size, items));
                    String applyAsync = direction + " of " + size + " bytes through applyAsync, Pool(" + processes + ")";
                    check(applyAsync, () -> applyAsync(pool, direction, size, items));
                }
            }
            pool.close();
        } finally {
            pool.terminate();
        }
    }

    /** The shape reported: {@code new Pool(2).map(Demo::inc, range(100_000))}, the default chunk size. */
    @Test
    void aHundredThousandIntegersThroughTwoWorkersWithTheDefaultChunkSize() throws Exception {
        Pool pool = new Pool(2);
        try {
            List<Integer> items = IntStream.range(0, 100_000).boxed().toList();
            List<Integer> results = pool.mapAsync(PoolPayloadSizesTest::inc, items).get(LIMIT);
            assertEquals(IntStream.range(1, 100_001).boxed().toList(), results);
            pool.close();
        } finally {
            pool.terminate();
        }
    }

    /** The shapes reported: 400 strings of 10,000 through Pool(4); 20 applyAsync of 100,000 through Pool(2). */
    @Test
    void manyMediumStringsThroughMapAndLargeOnesThroughApplyAsync() throws Exception {
        Pool four = new Pool(4);
        Pool two = new Pool(2);
        try {
            List<String> upper = four.mapAsync(PoolPayloadSizesTest::upper, Collections.nCopies(400, "x".repeat(10_000)))
                    .get(LIMIT);
            assertEquals(Collections.nCopies(400, "X".repeat(10_000)), upper);
            List<AsyncResult<String>> results = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                results.add(two.applyAsync(PoolPayloadSizesTest::upper, "x".repeat(100_000)));
            }
            for (AsyncResult<String> result : results) {
                assertEquals("X".repeat(100_000), result.get(LIMIT));
            }
            four.close();
            two.close();
        } finally {
            four.terminate();
            two.terminate();
        }
    }

    private interface Case {
        void run() throws Exception;
    }

    private static void check(String what, Case body) throws Exception {
        try {
            body.run();
        } catch (TimeoutException hung) {
            fail(what + ": no answer within " + LIMIT, hung);
        } catch (ExecutionException | AssertionError failed) {
            throw new AssertionError(what + ": " + failed, failed);
        }
    }

    private static void map(Pool pool, Direction direction, int size, int items, int chunkSize) throws Exception {
        switch (direction) {
            case ARGUMENTS -> assertEquals(Collections.nCopies(items, size),
                    pool.mapAsync(PoolPayloadSizesTest::length, Collections.nCopies(items, "x".repeat(size)), chunkSize,
                            null, null).get(LIMIT));
            case RESULTS -> assertEquals(Collections.nCopies(items, "y".repeat(size)),
                    pool.mapAsync(PoolPayloadSizesTest::text, Collections.nCopies(items, size), chunkSize, null, null)
                            .get(LIMIT));
            case BOTH -> assertEquals(Collections.nCopies(items, "X".repeat(size)),
                    pool.mapAsync(PoolPayloadSizesTest::upper, Collections.nCopies(items, "x".repeat(size)), chunkSize,
                            null, null).get(LIMIT));
        }
    }

    private static void imap(Pool pool, Direction direction, int size, int items) throws Exception {
        ResultIterator<?> results = switch (direction) {
            case ARGUMENTS -> pool.imap(PoolPayloadSizesTest::length, Collections.nCopies(items, "x".repeat(size)));
            case RESULTS -> pool.imap(PoolPayloadSizesTest::text, Collections.nCopies(items, size));
            case BOTH -> pool.imap(PoolPayloadSizesTest::upper, Collections.nCopies(items, "x".repeat(size)));
        };
        Object expected = switch (direction) {
            case ARGUMENTS -> size;
            case RESULTS -> "y".repeat(size);
            case BOTH -> "X".repeat(size);
        };
        for (int i = 0; i < items; i++) {
            assertEquals(expected, results.next(LIMIT), "item " + i);
        }
    }

    private static void applyAsync(Pool pool, Direction direction, int size, int items) throws Exception {
        List<AsyncResult<?>> results = new ArrayList<>();
        String argument = "x".repeat(size);
        for (int i = 0; i < items; i++) {
            results.add(switch (direction) {
                case ARGUMENTS -> pool.applyAsync(PoolPayloadSizesTest::length, argument);
                case RESULTS -> pool.applyAsync(PoolPayloadSizesTest::text, size);
                case BOTH -> pool.applyAsync(PoolPayloadSizesTest::upper, argument);
            });
        }
        Object expected = switch (direction) {
            case ARGUMENTS -> size;
            case RESULTS -> "y".repeat(size);
            case BOTH -> "X".repeat(size);
        };
        for (AsyncResult<?> result : results) {
            assertEquals(expected, result.get(LIMIT));
        }
    }
}

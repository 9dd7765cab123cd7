package dev.pyloom.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a pool starts its workers: a few JVMs starting at a time (so the first ones are ready
 * soon), never at the cost of a deadlock, and without starting workers only to stop them once
 * the work is done, unless an initializer must run in each, as in Python.
 */
@ExtendWith(NoChildrenLeft.class)
class PoolStartTest {

    private static final int PROCESSORS = Runtime.getRuntime().availableProcessors();

    @Test
    void moreWorkersThanProcessorsWhoseInitializersWaitForEachOtherAllStart(@TempDir Path arrivals) throws Exception {
        int workers = PROCESSORS + 1;
        try (Pool pool = Pool.builder().processes(workers)
                .initializer(Tasks::arriveAndWaitForAll, arrivals.toString(), workers).build()) {
            assertEquals(List.of(0, 1, 4), pool.map(Tasks::square, List.of(0, 1, 2)));
        }
        assertEquals(workers, Tasks.countFiles(arrivals.toString()), "every worker ran its initializer");
    }

    @Test
    void withAnInitializerEveryWorkerStartsAndRunsItEvenIfTheWorkIsDoneFirst(@TempDir Path arrivals) throws Exception {
        int workers = 2 * PROCESSORS + 1;
        try (Pool pool = Pool.builder().processes(workers).initializer(Tasks::arrive, arrivals.toString()).build()) {
            assertEquals(4, pool.apply(Tasks::square, 2));
        }
        assertEquals(workers, Tasks.countFiles(arrivals.toString()), "as Python's pool does");
    }

    @Test
    void withAnInitializerEveryWorkerRunsItEvenWhenThePoolIsClosedAtOnce(@TempDir Path arrivals) throws Exception {
        Pool pool = Pool.builder().processes(3).initializer(Tasks::arrive, arrivals.toString()).build();
        pool.close();
        assertEquals(3, Tasks.countFiles(arrivals.toString()), "Python's constructor starts every worker, initializer and all");
    }

    /*
     * Jobs sent ahead of a busy worker go through its writer thread: one thread for the worker's
     * life, which waits between bursts, not a thread per burst.
     */
    @Test
    void aLongMapOfJobsSentAheadStartsAFewThreadsNotOnePerBurst() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<String> items = Collections.nCopies(4_000, "x".repeat(6_000));
        try (Pool pool = new Pool(2)) {
            pool.map(String::length, items.subList(0, 10), 1); // the workers are up
            long before = threads.getTotalStartedThreadCount();
            assertEquals(Collections.nCopies(items.size(), 6_000), pool.map(String::length, items, 1));
            long started = threads.getTotalStartedThreadCount() - before;
            assertTrue(started < 50, "threads started for a map of " + items.size() + " jobs: " + started);
        }
    }

    @Test
    void workWhoseLastItemIsTakenBeforeEveryWorkerHasStartedLeavesNoWorkerBehind() throws Exception {
        int workers = 2 * PROCESSORS + 2;
        List<Integer> items = IntStream.range(0, 1_000).boxed().toList();
        for (int round = 0; round < 3; round++) {
            try (Pool pool = new Pool(workers)) {
                assertEquals(items.stream().map(x -> x * x).toList(), pool.map(Tasks::square, items));
            }
        }
        // NoChildrenLeft: the workers stopped while starting are reaped too
    }

    @Test
    void aPoolThatRunsDryWhileWorkersStartStillRunsWhatIsSubmittedBeforeClose() throws Exception {
        int workers = 2 * PROCESSORS + 2;
        Pool pool = new Pool(workers);
        try {
            assertEquals(9, pool.apply(Tasks::square, 3));
            assertEquals(16, pool.apply(Tasks::square, 4), "a pool with nothing queued still takes work while open");
        } finally {
            pool.close();
        }
    }
}

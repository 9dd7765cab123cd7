package dev.pyloom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.it.programs.Crawl;
import dev.pyloom.it.programs.Crawl.Tally;
import dev.pyloom.multiprocessing.AsyncResult;
import dev.pyloom.multiprocessing.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The tutorial's closing recipe: every core busy with processes, and inside each process an
 * event loop with thousands of coroutines waiting on the network. Then its counterpart inside
 * one JVM, which Python's global interpreter lock rules out: an event loop on each of several
 * platform threads. Each loop fetches {@value #PAGES} pages from page servers in this process,
 * checks each, and reports; the test checks that the loops ran where they should and that their
 * coroutines overlapped.
 */
class ProcessesAndCoroutinesIT {

    private static final int PAGES = 3_000;
    private static final int LOOPS = 2;
    private static final Duration LIMIT = Duration.ofMinutes(2);

    @Test
    void aPoolWhoseTasksEachRunAnEventLoopOfThousandsOfCoroutines() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (Crawl.Servers servers = new Crawl.Servers(3); Pool pool = new Pool(LOOPS)) {
                List<AsyncResult<Tally>> results = new ArrayList<>();
                for (int i = 0; i < LOOPS; i++) {
                    results.add(pool.applyAsync(Crawl::crawl, servers.ports(), PAGES));
                }
                List<Tally> tallies = new ArrayList<>();
                for (AsyncResult<Tally> result : results) {
                    tallies.add(result.get(LIMIT));
                }
                check(tallies);
                Set<Long> pids = tallies.stream().map(Tally::pid).collect(Collectors.toSet());
                assertTrue(!pids.contains(ProcessHandle.current().pid()), "the loops ran in the workers: " + pids);
                pool.close();
                pool.join();
            }
        });
    }

    @Test
    void anEventLoopOnEachOfSeveralThreadsOfOneJvm() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (Crawl.Servers servers = new Crawl.Servers(3)) {
                List<CompletableFuture<Tally>> loops = IntStream.range(0, LOOPS).mapToObj(i -> {
                    CompletableFuture<Tally> tally = new CompletableFuture<>();
                    Thread.ofPlatform().name("loop-" + i).daemon().start(() -> {
                        try {
                            tally.complete(Crawl.crawl(servers.ports(), PAGES));
                        } catch (Throwable e) {
                            tally.completeExceptionally(e);
                        }
                    });
                    return tally;
                }).toList();
                List<Tally> tallies = new ArrayList<>();
                for (CompletableFuture<Tally> loop : loops) {
                    tallies.add(loop.get(LIMIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
                }
                check(tallies);
                assertEquals(Set.of(ProcessHandle.current().pid()), tallies.stream().map(Tally::pid).collect(Collectors.toSet()));
                assertEquals(LOOPS, tallies.stream().map(Tally::thread).distinct().count(), "a loop on each thread");
            }
        });
    }

    private static void check(List<Tally> tallies) {
        long bytesOfAllPages = IntStream.range(0, PAGES).mapToLong(n -> Crawl.page(n).length).sum();
        for (Tally tally : tallies) {
            assertEquals(PAGES, tally.pages());
            assertEquals(bytesOfAllPages, tally.bytes(), "every page, whole: " + tally);
            assertTrue(tally.mostWaitingAtOnce() > Crawl.OPEN_AT_ONCE / 4,
                    "the loop's coroutines waited on the network together: " + tally);
        }
    }
}

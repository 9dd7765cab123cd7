package dev.pyloom.examples.recipe;

import dev.pyloom.examples.recipe.Fetches.Tally;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@link ProcessesAndCoroutines} in one JVM: an event loop per core, each on a platform thread of
 * its own, each running {@value Fetches#PER_LOOP} coroutines that fetch pages from the
 * {@link PageServers}. In Python this runs, but on one core at a time: the global interpreter
 * lock lets one thread run Python code at a time, which is why the tutorial's recipe takes
 * processes. Java's threads run in parallel, so threads give the loops every core without a
 * process, a worker start-up or a byte of JSON between them:
 *
 * <pre>
 * n = max(2, os.cpu_count())
 * with concurrent.futures.ThreadPoolExecutor(n, thread_name_prefix='loop') as cores:
 *     results = [cores.submit(fetch_all_on_a_new_loop, ports, 2000) for i in range(n)]
 *     for i, r in enumerate(results):
 *         pages, size, pid, thread = r.result()
 *         print('loop %d on thread %s: %d pages, %d bytes' % (i + 1, thread, pages, size))
 * </pre>
 *
 * <p>Each loop belongs to the thread that runs it and its coroutines run one at a time on it, so
 * they share the loop's state without a lock, as in every event loop; the loops themselves share
 * nothing but the servers' ports. (The servers have a loop and a thread of their own too.)
 */
public final class LoopsPerCore {

    private LoopsPerCore() {}

    public static void main(String[] args) throws Exception {
        int loops = Math.max(2, Runtime.getRuntime().availableProcessors());
        long start = System.nanoTime();
        try (PageServers servers = PageServers.start();
             ExecutorService cores = Executors.newFixedThreadPool(loops, Thread.ofPlatform().name("loop-", 1).factory())) {
            System.out.printf("Process %d: %d page servers on 127.0.0.1, %d event loops on platform threads.%n",
                    ProcessHandle.current().pid(), servers.ports().size(), loops);
            List<Future<Tally>> results = new ArrayList<>();
            for (int i = 0; i < loops; i++) {
                results.add(cores.submit(() -> Fetches.fetchAllOnANewLoop(servers.ports(), Fetches.PER_LOOP)));
            }
            int pages = 0;
            long bytes = 0;
            for (int i = 0; i < results.size(); i++) {
                Tally tally = results.get(i).get();
                System.out.printf("loop %d on thread %s of process %d: %d coroutines fetched %d pages, %d bytes%n",
                        i + 1, tally.thread(), tally.pid(), tally.pages(), tally.pages(), tally.bytes());
                pages += tally.pages();
                bytes += tally.bytes();
            }
            System.out.printf("All loops done: %d pages, %d bytes, fetched in one process in %.1f s.%n",
                    pages, bytes, (System.nanoTime() - start) / 1e9);
        }
    }
}

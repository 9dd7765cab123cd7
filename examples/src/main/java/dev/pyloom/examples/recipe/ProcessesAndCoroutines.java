package dev.pyloom.examples.recipe;

import dev.pyloom.examples.recipe.Fetches.Tally;
import dev.pyloom.multiprocessing.AsyncResult;
import dev.pyloom.multiprocessing.Multiprocessing;
import dev.pyloom.multiprocessing.Pool;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The tutorial's closing recipe, processes + coroutines: a {@code Pool} with a worker process
 * per core puts every core to work, and inside each worker an event loop runs thousands of
 * coroutines, so that no core waits on the network either. Here each task fetches
 * {@value Fetches#PER_LOOP} pages from a few {@link PageServers} the parent runs on 127.0.0.1,
 * and returns what it fetched; the parent gathers the results. In Python:
 *
 * <pre>
 * def task(ports, count):
 *     return fetch_all_on_a_new_loop(ports, count)    # asyncio.run(fetch_all(ports, count)), see Fetches
 *
 * if __name__ == '__main__':
 *     ports = start_servers()                          # see PageServers
 *     n = max(2, os.cpu_count())
 *     with Pool(n) as p:
 *         results = [p.apply_async(task, (ports, 2000)) for i in range(n)]
 *         for i, r in enumerate(results):
 *             pages, size, pid, thread = r.get()
 *             print('task %d in process %d: %d pages, %d bytes' % (i + 1, pid, pages, size))
 * </pre>
 *
 * <p>The task is a method reference: it reaches the worker as its class and name, the list of
 * ports and the count as JSON, and the {@link Tally} comes back as JSON too. Each worker is a JVM
 * of its own, so each task's loop is alone in its process, and its coroutines need no lock.
 * Which worker runs which task is the pool's choice: usually one each, but a worker that starts
 * first may take two. {@link LoopsPerCore} does the same with threads of one JVM, which Python's
 * global interpreter lock makes pointless and pyloom does not.
 */
public final class ProcessesAndCoroutines {

    private ProcessesAndCoroutines() {}

    /** One task: a worker's event loop, with thousands of coroutines. */
    static Tally task(List<Integer> ports, int count) throws Exception {
        return Fetches.fetchAllOnANewLoop(ports, count);
    }

    public static void main(String[] args) throws Exception {
        int processes = Math.max(2, Multiprocessing.cpuCount());
        long start = System.nanoTime();
        try (PageServers servers = PageServers.start(); Pool pool = new Pool(processes)) {
            System.out.printf("Parent process %d: %d page servers on 127.0.0.1, a Pool of %d worker processes.%n",
                    ProcessHandle.current().pid(), servers.ports().size(), processes);
            List<AsyncResult<Tally>> results = new ArrayList<>();
            for (int i = 0; i < processes; i++) {
                results.add(pool.applyAsync(ProcessesAndCoroutines::task, servers.ports(), Fetches.PER_LOOP));
            }
            int pages = 0;
            long bytes = 0;
            Set<Long> workers = new HashSet<>();
            for (int i = 0; i < results.size(); i++) {
                Tally tally = results.get(i).get();
                System.out.printf("task %d in process %d: %d coroutines fetched %d pages, %d bytes%n",
                        i + 1, tally.pid(), tally.pages(), tally.pages(), tally.bytes());
                pages += tally.pages();
                bytes += tally.bytes();
                workers.add(tally.pid());
            }
            System.out.printf("All tasks done: %d pages, %d bytes, fetched in %d worker processes in %.1f s.%n",
                    pages, bytes, workers.size(), (System.nanoTime() - start) / 1e9);
        }
    }
}

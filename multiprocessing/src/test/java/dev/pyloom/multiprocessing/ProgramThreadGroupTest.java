package dev.pyloom.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pyloom.ipc.Queue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A program run the way {@code mvn exec:java} runs it: its main thread in a thread group of its
 * own, whose threads the launcher interrupts and waits for when main returns. pyloom's threads
 * (a pool's places and result handler, its workers' error copiers, the socket threads of the
 * queues its children attach to) live elsewhere, so that neither happens to them.
 */
@ExtendWith(NoChildrenLeft.class)
class ProgramThreadGroupTest {

    @Test
    void aPoolAndAQueueSharedWithItsWorkersLeaveNoThreadInTheProgramsGroup() throws Exception {
        ThreadGroup program = new ThreadGroup("program");
        AtomicReference<List<String>> whileRunning = new AtomicReference<>();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread main = new Thread(program, () -> {
            try (Pool pool = new Pool(2); Queue<Integer> gate = Queue.of(Integer.class)) {
                assertEquals(List.of(0, 1, 4, 9), pool.map(Tasks::square, List.of(0, 1, 2, 3)));
                AsyncResult<Integer> waiting = pool.applyAsync(Tasks::waitFor, gate);
                gate.put(5);
                assertEquals(5, waiting.get());
                whileRunning.set(othersIn(program));
            } catch (Throwable e) {
                failed.set(e);
            }
        }, "program-main");
        main.start();
        main.join();
        if (failed.get() != null) {
            throw new AssertionError(failed.get());
        }
        assertEquals(List.of(), whileRunning.get(), "threads in the program's group besides its main");
    }

    private static List<String> othersIn(ThreadGroup group) {
        Thread[] threads = new Thread[group.activeCount() + 16];
        int count = group.enumerate(threads, true);
        List<String> names = new ArrayList<>();
        for (Thread thread : Arrays.copyOf(threads, count)) {
            if (thread != Thread.currentThread()) {
                names.add(thread.getName());
            }
        }
        return names;
    }
}

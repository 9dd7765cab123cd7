package dev.pyloom.it.programs;

import dev.pyloom.ipc.Client;
import dev.pyloom.ipc.Connection;
import dev.pyloom.ipc.Queue;
import dev.pyloom.multiprocessing.AsyncResult;
import dev.pyloom.multiprocessing.Pool;
import dev.pyloom.multiprocessing.PyProcess;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/** What the fault scenarios run: tasks that wait to be killed, and programs to kill. */
public final class Faults {

    private Faults() {}

    /** A pool task: {@code i * i}, except for {@code victim}, which reports its worker's pid and waits to be killed. */
    public static int squareUnlessVictim(int i, int victim, Queue<Long> victims) throws Exception {
        if (i == victim) {
            victims.put(ProcessHandle.current().pid());
            waitForEver();
        }
        return i * i;
    }

    /** A pool task. */
    public static int negate(int i) {
        return -i;
    }

    /** A task, or a process's target, that only ends when its process is killed. */
    public static void waitForEver() throws InterruptedException {
        new CountDownLatch(1).await();
    }

    /**
     * A program with a pool of two workers, each busy, and a child process: once all three are
     * running it writes their pids to the file {@code args[0]} (one line), and waits to be killed.
     */
    public static final class ParentOfMany {
        public static void main(String[] args) throws Exception {
            Queue<Long> busy = Queue.of(Long.class);
            Pool pool = new Pool(2);
            List<AsyncResult<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                int victim = i;
                tasks.add(pool.applyAsync((Integer n) -> {
                    return squareUnlessVictim(n, victim, busy);
                }, i));
            }
            PyProcess child = new PyProcess(Faults::waitForEver);
            child.start();
            List<Long> pids = new ArrayList<>(List.of(busy.get(), busy.get(), child.pid().orElseThrow()));
            Path file = Path.of(args[0]);
            Path written = Files.writeString(file.resolveSibling(file.getFileName() + ".tmp"),
                    pids.stream().map(String::valueOf).collect(Collectors.joining(" ")));
            Files.move(written, file); // whole, or not there yet
            waitForEver();
        }
    }

    /** A program that connects to the listener at {@code args[0]} with the key {@code args[1]} (Base64) and says hello. */
    public static final class GoodClient {
        public static void main(String[] args) throws IOException {
            byte[] key = Base64.getDecoder().decode(args[1]);
            try (Connection conn = Client.connect(UnixDomainSocketAddress.of(args[0]), key)) {
                conn.send("hello from " + ProcessHandle.current().pid());
                if (!"welcome".equals(conn.recv())) {
                    System.exit(2);
                }
            }
        }
    }

    /** A program that runs a pool task; run with an unusable {@code java.io.tmpdir}, it prints why it cannot. */
    public static final class PoolWithoutTemporaryDirectory {
        public static void main(String[] args) {
            try (Pool pool = new Pool(1)) {
                System.out.println("result " + pool.apply(Faults::negate, 1));
            } catch (Exception e) {
                System.out.println("failed: " + e);
                System.exit(3);
            }
        }
    }
}

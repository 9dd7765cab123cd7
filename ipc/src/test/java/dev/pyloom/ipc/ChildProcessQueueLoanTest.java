package dev.pyloom.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.ipc.programs.ForwardsForever;
import dev.pyloom.ipc.programs.JoinableWorker;
import dev.pyloom.testing.ChildJvm;
import dev.pyloom.testing.Spawned;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Child consumers stopped and killed around items on their way, and child workers sharing a JoinableQueue. */
class ChildProcessQueueLoanTest {

    static void signal(long pid, String sig) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start();
        assertEquals(0, kill.waitFor());
    }

    static boolean stopped(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).startsWith("T");
    }

    /** A child JVM that owns a queue holding {@code items}, and this process's view of that queue. */
    private record Owner(ChildJvm child, Queue<Integer> view) {
        static Owner start(Path dir, int items) throws Exception {
            Path handle = dir.resolve("handle");
            ChildJvm child = ChildJvm.start(dev.pyloom.ipc.programs.OwnsAQueue.class, handle.toString(), Integer.toString(items));
            try {
                Spawned.awaitUntil(() -> Files.exists(handle));
                return new Owner(child, Queue.fromHandle(Files.readString(handle), Integer.class));
            } catch (Exception | AssertionError e) {
                child.close();
                throw e;
            }
        }

        void stop() throws Exception {
            signal(child.pid(), "STOP");
            Spawned.awaitUntil(() -> stopped(child.pid()));
        }

        /** Closes the view while the owner is stopped: close() returns before it runs again, and the getter ends. */
        void closeWhileStopped(Thread getter) throws Exception {
            Spawned.run(view::close).join();
            assertTrue(stopped(child.pid()), "close() returned only once the owner ran again");
            getter.join(ChildJvm.PATIENCE);
            assertEquals(Thread.State.TERMINATED, getter.getState());
            signal(child.pid(), "CONT");
        }
    }

    /**
     * A consumer closes while its get waits at an owner that has been stopped: close() does not
     * wait for the stopped owner's answer for ever. It returns while the owner is still stopped,
     * and the waiting get fails, its connection closed.
     */
    @Test
    void closeReturnsWhileTheOwnerIsStopped(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Owner owner = Owner.start(dir, 0);
        try (ChildJvm child = owner.child()) {
            Thread getter = Thread.ofPlatform().start(() -> {
                try {
                    owner.view().get(ChildJvm.PATIENCE);
                    throw new AssertionError("got an item from an empty queue");
                } catch (java.io.IOException | IllegalStateException closed) {
                    // what a get in progress does when its queue is closed
                }
            });
            Spawned.awaitUntil(() -> getter.getState() == Thread.State.WAITING); // its request is at the owner
            owner.stop();
            owner.closeWhileStopped(getter);
        }
    }

    /**
     * A consumer with a loan takes item after item from an owner that has been stopped: each
     * take writes a {@code took} the owner does not read, until the socket is full and the getter
     * blocks, holding the consumer's lock. close() still returns while the owner is stopped,
     * and the getter's write fails.
     */
    @Test
    void closeReturnsWhileAGetterIsBlockedWritingToAStoppedOwner(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Owner owner = Owner.start(dir, 2000);
        try (ChildJvm child = owner.child()) {
            assertEquals(0, owner.view().get(ChildJvm.PATIENCE)); // the rest of the first 512 are on loan here
            owner.stop();
            java.util.concurrent.atomic.AtomicInteger taken = new java.util.concurrent.atomic.AtomicInteger(1);
            Thread getter = Thread.ofPlatform().start(() -> {
                try {
                    for (;;) {
                        assertEquals(taken.get(), owner.view().get(ChildJvm.PATIENCE));
                        taken.incrementAndGet();
                    }
                } catch (java.io.IOException | IllegalStateException closed) {
                    // its write failed as the queue closed, or it asked a closed queue
                }
            });
            Spawned.awaitUntil(() -> taken.get() >= 250); // a few hundred tooks fill the owner's socket
            owner.closeWhileStopped(getter);
        }
    }

    /**
     * No loans (the owner has taken an item). The child's get is pending at the owner when it is
     * stopped; an item put after the stop goes to its session and is written to its socket; then
     * the child is killed. It never took that item (it was stopped before the item existed), so
     * the item must come back.
     */
    @Test
    void anItemWrittenToAStoppedConsumerThatIsThenKilledComesBack() throws Exception {
        Queue<Integer> jobs = Queue.of(Integer.class);
        Queue<Integer> results = Queue.of(Integer.class, 1_000_000);
        jobs.put(-1);
        assertEquals(-1, jobs.get());
        try (ChildJvm child = ChildJvm.start(ForwardsForever.class, jobs.toHandle(), results.toHandle())) {
            int next = 0;
            for (int attempt = 0; attempt < 50; attempt++) {
                jobs.put(next);
                assertEquals(next, results.get(ChildJvm.PATIENCE));
                next++;
                signal(child.pid(), "STOP");
                Spawned.awaitUntil(() -> stopped(child.pid()));
                int x = next++;
                jobs.put(x);
                // Has the child's pending request taken x? Then the owner cannot take it.
                try {
                    assertEquals(x, jobs.getNowait());
                    signal(child.pid(), "CONT"); // its request had ended already; try again
                    continue;
                } catch (QueueEmptyException sentToTheChild) {
                    // x is on its way to the stopped child
                }
                signal(child.pid(), "KILL");
                child.process().waitFor();
                Integer back = null;
                try {
                    back = jobs.get(Duration.ofSeconds(5));
                } catch (QueueEmptyException lost) {
                    // reported below
                }
                assertEquals(x, back, "item " + x + " was written to a stopped consumer's socket and never taken; "
                        + "qsize now " + jobs.qsize());
                return;
            }
            throw new AssertionError("never caught the child's request pending");
        }
    }

    /**
     * The child is the only consumer and holds a loan; it is stopped while a producer runs and the
     * owner gets with timeouts (which must be honoured), then continued; finally the owner and
     * child share the rest. Every item exactly once, in order per consumer.
     */
    @Test
    void aStoppedBorrowerContinuedLosesAndDuplicatesNothing() throws Exception {
        Queue<Integer> jobs = Queue.of(Integer.class);
        Queue<Integer> results = Queue.of(Integer.class, 1_000_000);
        int n = 8_000;
        try (ChildJvm child = ChildJvm.start(ForwardsForever.class, jobs.toHandle(), results.toHandle())) {
            Spawned<Void> producer = Spawned.run(() -> {
                for (int i = 0; i < n; i++) {
                    jobs.put(i);
                }
            });
            List<Integer> fromChild = new ArrayList<>();
            List<Integer> mine = new ArrayList<>();
            while (fromChild.size() < 1_000) {
                fromChild.add(results.get(ChildJvm.PATIENCE));
            }
            signal(child.pid(), "STOP");
            Spawned.awaitUntil(() -> stopped(child.pid()));
            try {
                mine.add(jobs.get(Duration.ofMillis(300))); // keeps its timeout (and the recall's patience)
            } catch (QueueEmptyException e) {
                // the stopped borrower cannot give its loan back
            }
            signal(child.pid(), "CONT");
            producer.join();
            for (;;) {
                try {
                    mine.add(jobs.get(Duration.ofMillis(300)));
                } catch (QueueEmptyException e) {
                    break;
                }
            }
            // collect everything the child forwarded
            for (;;) {
                try {
                    fromChild.add(results.get(Duration.ofSeconds(2)));
                } catch (QueueEmptyException e) {
                    break;
                }
            }
            TreeSet<Integer> all = new TreeSet<>(fromChild);
            all.addAll(mine);
            assertEquals(fromChild.size() + mine.size(), all.size(), "duplicates");
            assertEquals(n, all.size(), "lost: " + (n - all.size()));
            for (List<Integer> seq : List.of(fromChild, mine)) {
                for (int i = 1; i < seq.size(); i++) {
                    assertTrue(seq.get(i - 1) < seq.get(i), "order " + seq.get(i - 1) + " then " + seq.get(i));
                }
            }
        }
    }

    /** Two child workers with 4 threads each (taskDone racing gets); the second joins after the first holds a loan. */
    @Test
    void joinableWorkersInChildrenWithALoanAndALateSecondWorker() throws Exception {
        JoinableQueue<Integer> jobs = JoinableQueue.of(Integer.class);
        Queue<int[]> results = Queue.of(int[].class);
        int n = 5_000;
        for (int i = 0; i < n; i++) {
            jobs.put(i);
        }
        try (ChildJvm first = ChildJvm.start(JoinableWorker.class, jobs.toHandle(), results.toHandle(), "4", "1")) {
            Set<Integer> seen = new HashSet<>();
            Map<Integer, Integer> lastOf = new HashMap<>();
            for (int i = 0; i < 100; i++) {
                int[] r = results.get(ChildJvm.PATIENCE);
                assertTrue(seen.add(r[1]), "twice: " + r[1]);
            }
            try (ChildJvm second = ChildJvm.start(JoinableWorker.class, jobs.toHandle(), results.toHandle(), "4", "2")) {
                while (seen.size() < n) {
                    int[] r = results.get(ChildJvm.PATIENCE);
                    assertTrue(seen.add(r[1]), "twice: " + r[1]);
                    lastOf.merge(r[0], 1, Integer::sum);
                }
                jobs.join();
                assertEquals(0, jobs.qsize(), "after join every item was taken");
                for (int i = 0; i < 8; i++) {
                    jobs.put(-1);
                }
                jobs.join();
                assertEquals(0, first.await().exitCode(), first.await().stderr());
                assertEquals(0, second.await().exitCode(), second.await().stderr());
                assertEquals(2, lastOf.size(), "the late worker took a share: " + lastOf);
            }
            assertThrows(QueueEmptyException.class, jobs::getNowait);
        }
    }
}

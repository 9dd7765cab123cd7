package dev.pyloom.multiprocessing;

import dev.pyloom.ipc.Queue;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CountDownLatch;

/** Targets for the tests' child processes. */
final class Children {

    private Children() {}

    /** What a child says about itself. */
    record Report(String name, long pid, boolean daemon, String parentSaid) {}

    static void report(Queue<Report> out, String word) throws IOException {
        PyProcess me = PyProcess.current();
        out.put(new Report(me.name(), me.pid().orElseThrow(), me.isDaemon(), word));
    }

    /** Says it has started, then waits until it is killed. */
    static void startedThenBlock(Queue<Long> out) throws IOException, InterruptedException {
        out.put(ProcessHandle.current().pid());
        new CountDownLatch(1).await();
    }

    /**
     * Says it has started, then fails once the JVM is stopping, as a target waiting on a queue
     * does when its connection closes at exit; the JVM's shutdown waits until the failure is
     * dealt with (the target's thread blocked in System.exit, or gone).
     */
    static void startedThenFailWhenStopped(Queue<Long> out) throws IOException, InterruptedException {
        Thread target = Thread.currentThread();
        CountDownLatch stopping = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.countDown();
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (target.isAlive() && target.getState() != Thread.State.BLOCKED
                    && target.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
        }));
        out.put(ProcessHandle.current().pid());
        stopping.await();
        throw new IllegalStateException("the JVM is stopping");
    }

    static void blockForever() throws InterruptedException {
        new CountDownLatch(1).await();
    }

    static void exitWith(int status) {
        System.exit(status);
    }

    static void fail(String message) {
        throw new IllegalStateException(message);
    }

    /** Takes a while, then leaves a mark: whether its parent waited for it. */
    static void slowThenMark(String path, int millis) throws IOException, InterruptedException {
        Thread.sleep(millis);
        Files.writeString(Path.of(path), "done");
    }

    /** Returns at once, leaving a non-daemon thread that marks the file a moment later. */
    static void leaveAThreadBehind(String path) {
        Thread.ofPlatform().daemon(false).start(() -> {
            try {
                slowThenMark(path, 300);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    static long slowPid(int millis) throws InterruptedException {
        Thread.sleep(millis);
        return ProcessHandle.current().pid();
    }

    /**
     * Waits until its parent is exiting (the parent lets go of its lock on {@code gate} in a
     * shutdown hook), then puts on {@code queue}, and says in {@code mark} whether the put arrived.
     */
    static void putWhileTheParentExits(Queue<String> queue, String mark, String gate) throws IOException {
        try (FileChannel channel = FileChannel.open(Path.of(gate), StandardOpenOption.WRITE)) {
            channel.lock().release(); // waits for the parent's exit to begin
        }
        String outcome;
        try {
            queue.put("late");
            queue.close(); // waits until the put has reached the parent
            outcome = "put arrived";
        } catch (IOException e) {
            outcome = "put failed: " + e;
        }
        Files.writeString(Path.of(mark), outcome);
    }
}

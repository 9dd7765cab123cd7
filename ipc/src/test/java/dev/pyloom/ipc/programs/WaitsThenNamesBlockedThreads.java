package dev.pyloom.ipc.programs;

import dev.pyloom.ipc.Connection;
import dev.pyloom.ipc.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A child that waits on ipc connections from platform threads (a poll that times out, a recv
 * that a message ends) as a pool's worker does, closes them, and then prints, one per line, the
 * threads of this process other than its own that are blocked in a system call other than a
 * futex wait (Linux's {@code /proc/self/task/N/syscall}): a thread in native code when the JVM
 * exits holds the exit up by 300 ms, so there should be none.
 */
public final class WaitsThenNamesBlockedThreads {

    private static final String FUTEX = "202";

    public static void main(String[] args) throws Exception {
        Pipe pipe = Pipe.open();
        try (Connection a = pipe.conn1(); Connection b = pipe.conn2()) {
            if (b.poll(Duration.ofMillis(20))) {
                throw new AssertionError("nothing was sent yet");
            }
            Thread sender = Thread.ofPlatform().start(() -> {
                try {
                    a.send("hi");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            b.recv();
            sender.join();
        }
        String self = Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
        List<String> blocked = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                if (task.getFileName().toString().equals(self)) {
                    continue;
                }
                try {
                    String call = Files.readString(task.resolve("syscall")).split(" ")[0].trim();
                    if (!call.equals(FUTEX) && !call.equals("running")) {
                        blocked.add(Files.readString(task.resolve("comm")).trim() + " in system call " + call);
                    }
                } catch (java.io.IOException gone) {
                    // a thread that ended meanwhile
                }
            }
        }
        blocked.forEach(System.out::println);
    }
}

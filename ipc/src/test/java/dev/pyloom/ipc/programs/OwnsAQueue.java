package dev.pyloom.ipc.programs;

import dev.pyloom.ipc.Queue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** Creates a queue, puts the number of items its second argument says (none without), writes its handle to the file named by its first, and waits to be killed. */
public final class OwnsAQueue {

    public static void main(String[] args) throws Exception {
        Queue<Integer> queue = Queue.of(Integer.class);
        for (int i = 0; i < (args.length > 1 ? Integer.parseInt(args[1]) : 0); i++) {
            queue.put(i);
        }
        Path partial = Path.of(args[0] + ".tmp");
        Files.writeString(partial, queue.toHandle());
        Files.move(partial, Path.of(args[0]));
        new CountDownLatch(1).await();
    }
}

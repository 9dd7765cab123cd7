package dev.pyloom.ipc.programs;

import dev.pyloom.ipc.Listener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** Opens a listener, writes its socket file's path to the file named by its argument, and waits to be killed. */
public final class ListenAndWait {

    public static void main(String[] args) throws Exception {
        Listener listener = Listener.open();
        Path partial = Path.of(args[0] + ".tmp");
        Files.writeString(partial, ((java.net.UnixDomainSocketAddress) listener.address()).getPath().toString());
        Files.move(partial, Path.of(args[0]));
        new CountDownLatch(1).await();
    }
}

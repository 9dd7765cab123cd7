package dev.pyloom.asyncio;

import dev.pyloom.asyncio.streams.Streams;
import dev.pyloom.asyncio.streams.Subprocess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * A program for {@link SignalShutdownTest}: {@code Asyncio.run} of a coroutine that starts a
 * {@code sleep 300} child, writes its pid to {@code args[0]} and sleeps for an hour, with a
 * {@code finally} block that awaits before it reports. {@code args[1]} {@code "hang"} makes the
 * clean-up never end, to exercise the grace period; {@code "exit"} calls {@code System.exit(7)}
 * once the child has started, instead of sleeping.
 */
public final class SignalledRun {

    private SignalledRun() {}

    public static void main(String[] args) throws Exception {
        Path ready = Path.of(args[0]);
        boolean hang = args.length > 1 && args[1].equals("hang");
        boolean exit = args.length > 1 && args[1].equals("exit");
        Asyncio.run(() -> {
            Subprocess child = Streams.createSubprocessExec("sleep", "300");
            try {
                Path partial = Path.of(ready + ".tmp");
                Files.writeString(partial, Long.toString(child.pid()));
                Files.move(partial, ready, StandardCopyOption.ATOMIC_MOVE);
                if (exit) {
                    System.exit(7);
                }
                Asyncio.sleep(Duration.ofHours(1));
            } finally {
                Asyncio.sleep(Duration.ofMillis(20)); // a clean-up may await
                System.out.println("finally ran on " + Asyncio.getRunningLoop().strategy());
                System.out.flush();
                if (hang) {
                    Asyncio.sleep(Duration.ofHours(1));
                }
            }
        });
    }
}

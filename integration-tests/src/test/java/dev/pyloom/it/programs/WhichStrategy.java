package dev.pyloom.it.programs;

import dev.pyloom.asyncio.Asyncio;
import dev.pyloom.asyncio.EventLoop;
import java.time.Duration;

/** Prints which module the asyncio classes came from and which strategy a default loop picks, and runs one. */
public final class WhichStrategy {

    public static void main(String[] args) throws Exception {
        System.out.println("module: " + EventLoop.class.getModule().getName());
        try (EventLoop loop = new EventLoop()) {
            System.out.println("strategy: " + loop.strategy());
            int sum = loop.run(() -> {
                int total = 0;
                for (int n : Asyncio.gather(() -> 1, () -> {
                    Asyncio.sleep(Duration.ofMillis(1));
                    return 2;
                })) {
                    total += n;
                }
                return total;
            });
            System.out.println("gathered: " + sum);
        }
    }
}

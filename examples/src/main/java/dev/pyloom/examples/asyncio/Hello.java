package dev.pyloom.examples.asyncio;

import dev.pyloom.asyncio.Asyncio;
import java.io.PrintStream;
import java.time.Duration;

/**
 * The tutorial's {@code hello()} coroutine: it prints, awaits a one-second sleep, during which
 * the loop runs something else, and prints again. Run once, it takes a second; two of them
 * gathered also take about one second, not two, on one loop. In Python:
 *
 * <pre>
 * async def hello():
 *     print("Hello world!")
 *     await asyncio.sleep(1)
 *     print("Hello again!")
 *
 * asyncio.run(hello())
 *
 * async def main():
 *     await asyncio.gather(hello(), hello())
 * asyncio.run(main())
 * </pre>
 */
public final class Hello {

    private final PrintStream out;
    private final Duration pause;

    Hello(PrintStream out, Duration pause) {
        this.out = out;
        this.pause = pause;
    }

    public static void main(String[] args) throws Exception {
        new Hello(System.out, Duration.ofSeconds(1)).run();
    }

    void hello() {
        out.println("Hello world!");
        Asyncio.sleep(pause);
        out.println("Hello again!");
    }

    void run() throws Exception {
        Asyncio.run(this::hello);

        long start = System.nanoTime();
        Asyncio.run(() -> Asyncio.gather(this::hello, this::hello));
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf("two hello() coroutines, gathered: %.1f s%n", seconds);
    }
}

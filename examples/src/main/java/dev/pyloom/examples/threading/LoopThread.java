package dev.pyloom.examples.threading;

import dev.pyloom.threading.PyThread;
import dev.pyloom.threading.Threading;
import java.io.PrintStream;
import java.time.Duration;

/**
 * The tutorial's first thread: the main thread starts {@code LoopThread}, which counts to five,
 * and waits for it. In Python:
 *
 * <pre>
 * def loop():
 *     print('thread %s is running...' % threading.current_thread().name)
 *     n = 0
 *     while n &lt; 5:
 *         n = n + 1
 *         print('thread %s &gt;&gt;&gt; %s' % (threading.current_thread().name, n))
 *         time.sleep(1)
 *     print('thread %s ended.' % threading.current_thread().name)
 *
 * print('thread %s is running...' % threading.current_thread().name)
 * t = threading.Thread(target=loop, name='LoopThread')
 * t.start()
 * t.join()
 * print('thread %s ended.' % threading.current_thread().name)
 * </pre>
 */
public final class LoopThread {

    private final PrintStream out;
    private final Duration pause;

    LoopThread(PrintStream out, Duration pause) {
        this.out = out;
        this.pause = pause;
    }

    public static void main(String[] args) throws Exception {
        new LoopThread(System.out, Duration.ofSeconds(1)).run();
    }

    void run() throws InterruptedException {
        out.printf("thread %s is running...%n", Threading.currentThread().name());
        PyThread t = new PyThread(this::loop, "LoopThread");
        t.start();
        t.join();
        out.printf("thread %s ended.%n", Threading.currentThread().name());
    }

    private void loop() throws InterruptedException {
        String name = Threading.currentThread().name();
        out.printf("thread %s is running...%n", name);
        int n = 0;
        while (n < 5) {
            n = n + 1;
            out.printf("thread %s >>> %s%n", name, n);
            Thread.sleep(pause);
        }
        out.printf("thread %s ended.%n", name);
    }
}

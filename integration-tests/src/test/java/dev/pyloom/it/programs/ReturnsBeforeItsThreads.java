package dev.pyloom.it.programs;

import dev.pyloom.threading.PyThread;
import dev.pyloom.threading.Timer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A main method that returns while its threads still run, as a Python script whose last line
 * starts a thread. Python waits for non-daemon threads and abandons daemon ones; so must we, also
 * for virtual threads, which the JVM alone would abandon.
 */
public final class ReturnsBeforeItsThreads {

    public static void main(String[] args) {
        CountDownLatch never = new CountDownLatch(1);
        PyThread.builder().name("daemon").daemon(true).target(() -> {
            never.await();
            System.out.println("daemon finished"); // never printed: the JVM leaves without it
        }).start();

        PyThread.builder().name("worker").target(() -> {
            Thread.sleep(300); // the scenario: work that outlives main
            System.out.println("virtual worker finished");
        }).start();

        new Timer(Duration.ofMillis(200), () -> System.out.println("timer fired")).start();

        System.out.println("main returning");
    }
}

package dev.pyloom.it.programs;

import dev.pyloom.threading.Lock;
import dev.pyloom.threading.PyThread;

/** Prints which module the threading classes came from, and uses them from there. */
public final class WhichModule {

    public static void main(String[] args) throws Exception {
        System.out.println("module: " + PyThread.class.getModule().getName());
        Lock lock = new Lock();
        int[] counter = {0};
        PyThread t = PyThread.builder().target(() -> {
            for (int i = 0; i < 1000; i++) {
                try (var held = lock.hold()) {
                    counter[0]++;
                }
            }
        }).start();
        t.join();
        System.out.println("counted: " + counter[0]);
    }
}

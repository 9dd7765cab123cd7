package dev.pyloom.it.programs;

import dev.pyloom.threading.PyThread;

/** An exception escapes a thread: reported through the excepthook, the program carries on. */
public final class UncaughtInThread {

    public static void main(String[] args) throws Exception {
        PyThread failing = new PyThread(() -> {
            throw new IllegalStateException("escaped from run()");
        }, "worker");
        failing.start();
        failing.join();
        System.out.println("main still running after the worker failed");
    }
}

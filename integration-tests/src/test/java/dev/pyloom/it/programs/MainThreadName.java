package dev.pyloom.it.programs;

import dev.pyloom.threading.PyThread;
import dev.pyloom.threading.Threading;

/** Prints how the module names the JVM's main thread, from itself and from another thread. */
public final class MainThreadName {

    public static void main(String[] args) throws Exception {
        System.out.println("current: " + Threading.currentThread().name());
        System.out.println("same object: " + (Threading.currentThread() == Threading.mainThread()));
        PyThread other = new PyThread(() -> System.out.println("seen from LoopThread: "
                + Threading.mainThread().name() + ", alive=" + Threading.mainThread().isAlive()), "LoopThread");
        other.start();
        other.join();
        System.out.println("enumerate: " + Threading.enumerate().stream().map(PyThread::name).toList());
    }
}

package dev.pyloom.examples.threading;

import dev.pyloom.threading.Lock;
import dev.pyloom.threading.PyThread;
import java.io.PrintStream;

/**
 * The tutorial's lesson on locks: two threads each add and subtract their own number a million
 * times, so the balance should end at 0. Without a lock the threads' read-modify-write steps
 * interleave and updates are lost; with one, they cannot. In Python:
 *
 * <pre>
 * balance = 0
 * lock = threading.Lock()
 *
 * def change_it(n):
 *     global balance
 *     balance = balance + n
 *     balance = balance - n
 *
 * def run_thread(n):
 *     for i in range(1000000):
 *         lock.acquire()
 *         try:
 *             change_it(n)
 *         finally:
 *             lock.release()
 *
 * t1 = threading.Thread(target=run_thread, args=(5,))
 * t2 = threading.Thread(target=run_thread, args=(8,))
 * </pre>
 *
 * <p>Unlike CPython's, these threads run truly in parallel (there is no global interpreter
 * lock), so the unlocked race shows at once on a machine with two or more cores. Virtual
 * threads are not time-sliced, though: on a single core the two would take turns only at
 * blocking points and the race could stay hidden, which is why the lock is the answer, not luck.
 */
public final class SharedBalance {

    static final int ROUNDS = 1_000_000;

    // volatile: every read and write really happens, as in Python, so only the interleaving of
    // the two threads decides the result (a plain field would let the JIT cancel n - n out).
    private volatile int balance = 0;
    private final Lock lock = new Lock();

    public static void main(String[] args) throws Exception {
        run(System.out);
    }

    static void run(PrintStream out) throws InterruptedException {
        int unlocked = new SharedBalance().twoThreads(false);
        out.printf("balance without a lock: %d%s%n", unlocked,
                unlocked == 0 ? " (the race lost nothing this time; run it again)" : " (updates were lost)");
        int locked = new SharedBalance().twoThreads(true);
        out.printf("balance with a lock: %d%n", locked);
    }

    int twoThreads(boolean withLock) throws InterruptedException {
        PyThread.Target1<Integer> body = withLock ? this::runThreadLocked : this::runThread;
        PyThread t1 = PyThread.builder().target(body, 5).start();
        PyThread t2 = PyThread.builder().target(body, 8).start();
        t1.join();
        t2.join();
        return balance;
    }

    private void changeIt(int n) {
        balance = balance + n;
        balance = balance - n;
    }

    private void runThread(int n) {
        for (int i = 0; i < ROUNDS; i++) {
            changeIt(n);
        }
    }

    private void runThreadLocked(int n) throws InterruptedException {
        for (int i = 0; i < ROUNDS; i++) {
            lock.acquire();
            try {
                changeIt(n);
            } finally {
                lock.release();
            }
        }
    }
}

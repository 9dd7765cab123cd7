package dev.pyloom.benchmarks.jmh;

import dev.pyloom.threading.Lock;
import dev.pyloom.threading.RLock;
import dev.pyloom.threading.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Acquire + release of pyloom's locks against the JDK's floor, {@link ReentrantLock}, and
 * {@code synchronized}: uncontended (one thread) and contended (four threads on one lock).
 *
 * <pre>
 * ./mvnw -q -pl benchmarks -am -DskipTests package exec:exec \
 *     -Dbench.main=org.openjdk.jmh.Main -Dbench.args="LockBenchmark"
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LockBenchmark {

    private final Lock lock = new Lock();
    private final RLock rlock = new RLock();
    private final Semaphore semaphore = new Semaphore(1);
    private final ReentrantLock reentrantLock = new ReentrantLock();
    private final Object monitor = new Object();
    private int counter;

    @Benchmark
    public int pyloomLock() throws InterruptedException {
        lock.acquire();
        try {
            return ++counter;
        } finally {
            lock.release();
        }
    }

    @Benchmark
    public int pyloomLockHold() throws InterruptedException {
        try (var held = lock.hold()) {
            return ++counter;
        }
    }

    @Benchmark
    public int pyloomRLock() throws InterruptedException {
        rlock.acquire();
        try {
            return ++counter;
        } finally {
            rlock.release();
        }
    }

    @Benchmark
    public int pyloomSemaphore() throws InterruptedException {
        semaphore.acquire();
        try {
            return ++counter;
        } finally {
            semaphore.release();
        }
    }

    @Benchmark
    public int reentrantLock() {
        reentrantLock.lock();
        try {
            return ++counter;
        } finally {
            reentrantLock.unlock();
        }
    }

    @Benchmark
    public int synchronizedBlock() {
        synchronized (monitor) {
            return ++counter;
        }
    }

    @Benchmark
    @Threads(4)
    public int pyloomLockContended() throws InterruptedException {
        return pyloomLock();
    }

    @Benchmark
    @Threads(4)
    public int reentrantLockContended() {
        return reentrantLock();
    }
}

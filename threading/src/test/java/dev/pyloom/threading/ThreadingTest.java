package dev.pyloom.threading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.testing.Spawned;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The module functions: current and main thread, the registry, and the excepthook. */
class ThreadingTest {

    @AfterEach
    void restoreExcepthook() {
        Threading.setExcepthook(Threading.defaultExcepthook());
    }

    @Test
    void theMainThreadIsCalledMainThread() {
        PyThread main = Threading.mainThread();
        assertEquals("MainThread", main.name());
        assertTrue(main.isAlive(), "tests run while the JVM's main thread is alive");
        assertFalse(main.isDaemon());
        assertTrue(Threading.enumerate().contains(main));
    }

    @Test
    void theMainThreadCannotBeStartedOrJoinedFromItself() {
        PyThread main = Threading.mainThread();
        assertThrows(IllegalStateException.class, main::start);
        if (Threading.currentThread() == main) {
            assertThrows(IllegalStateException.class, main::join);
        }
    }

    @Test
    void enumerateSeesVirtualThreadsUntilTheyFinish() throws Exception {
        CountDownLatch finish = new CountDownLatch(1);
        int before = Threading.activeCount();
        List<PyThread> started = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            started.add(PyThread.builder().name("listed-" + i).target(finish::await).start());
        }
        List<PyThread> alive = Threading.enumerate();
        assertTrue(alive.containsAll(started));
        assertTrue(started.stream().allMatch(PyThread::isVirtual));
        assertTrue(Threading.activeCount() >= before + 100);
        finish.countDown();
        for (PyThread thread : started) {
            thread.join();
        }
        List<PyThread> after = Threading.enumerate();
        assertTrue(started.stream().noneMatch(after::contains), "a joined thread is no longer listed");
    }

    @Test
    void anAlienThreadGetsADummyThatStaysTheSame() throws Exception {
        CountDownLatch finish = new CountDownLatch(1);
        AtomicReference<PyThread> first = new AtomicReference<>();
        AtomicReference<PyThread> second = new AtomicReference<>();
        Thread alien = Thread.ofPlatform().name("alien").start(() -> {
            first.set(Threading.currentThread());
            second.set(Threading.currentThread());
            try {
                finish.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Spawned.awaitUntil(() -> second.get() != null);
        PyThread dummy = first.get();
        assertSame(dummy, second.get());
        assertEquals("alien", dummy.name());
        assertTrue(dummy.isAlive());
        assertTrue(Threading.enumerate().contains(dummy));
        assertThrows(IllegalStateException.class, dummy::join, "a dummy thread cannot be joined");
        assertTrue(dummy.toString().contains("dummy"), dummy.toString());
        finish.countDown();
        alien.join();
        assertFalse(dummy.isAlive());
        assertFalse(Threading.enumerate().contains(dummy), "dead dummies are pruned");
    }

    @Test
    void anUnnamedAlienVirtualThreadIsCalledDummyN() throws Exception {
        AtomicReference<PyThread> dummy = new AtomicReference<>();
        Thread.ofVirtual().start(() -> dummy.set(Threading.currentThread())).join();
        assertTrue(dummy.get().name().matches("Dummy-\\d+"), dummy.get().name());
        assertTrue(dummy.get().isDaemon(), "virtual threads are daemons to the JVM");
    }

    @Test
    void manyShortLivedAliensDoNotAccumulateEvenIfNobodyLists() throws Exception {
        int before = ThreadRegistry.registeredIncludingDead();
        for (int i = 0; i < 5_000; i++) {
            Thread.ofVirtual().start(Threading::currentThread).join();
        }
        // Pruned as dummies arrive, not only when enumerate() or activeCount() asks.
        int after = ThreadRegistry.registeredIncludingDead();
        assertTrue(after <= Math.max(2 * before, before + 200), "dead dummies piled up: " + before + " -> " + after);
    }

    @Test
    void currentThreadDiffersBetweenThreads() throws Exception {
        PyThread here = Threading.currentThread();
        AtomicReference<PyThread> there = new AtomicReference<>();
        PyThread thread = new PyThread(() -> there.set(Threading.currentThread()));
        thread.start();
        thread.join();
        assertNotSame(here, there.get());
    }

    @Test
    void theExcepthookReceivesTheExceptionAndTheThread() throws Exception {
        AtomicReference<Threading.ExceptHookArgs> reported = new AtomicReference<>();
        Threading.setExcepthook(reported::set);
        IllegalStateException boom = new IllegalStateException("boom");
        PyThread thread = new PyThread(() -> {
            throw boom;
        }, "failing");
        thread.start();
        thread.join();
        assertSame(boom, reported.get().exception());
        assertSame(thread, reported.get().thread());
    }

    @Test
    void theDefaultExcepthookPrintsAPythonStyleReport() throws Exception {
        String printed = captureStandardError(() -> {
            PyThread thread = new PyThread(() -> {
                throw new IllegalStateException("boom");
            }, "failing");
            thread.start();
            thread.join();
        });
        assertTrue(printed.startsWith("Exception in thread failing:" + System.lineSeparator()
                + "java.lang.IllegalStateException: boom"), printed);
        assertTrue(printed.contains("\tat "), "with its stack trace: " + printed);
    }

    @Test
    void aFailingExcepthookFallsBackToStandardError() throws Exception {
        Threading.setExcepthook(args -> {
            throw new IllegalArgumentException("hook failed");
        });
        String printed = captureStandardError(() -> {
            PyThread thread = new PyThread(() -> {
                throw new IllegalStateException("original");
            }, "failing");
            thread.start();
            thread.join();
        });
        assertTrue(printed.contains("Exception in threading.excepthook:"), printed);
        assertTrue(printed.contains("hook failed"), printed);
        assertTrue(printed.contains("Exception in thread failing:"), printed);
        assertTrue(printed.contains("original"), printed);
    }

    @Test
    void theExcepthookCannotBeNull() {
        assertThrows(NullPointerException.class, () -> Threading.setExcepthook(null));
        assertSame(Threading.defaultExcepthook(), Threading.excepthook());
    }

    @Test
    void tenThousandVirtualThreadsStartAndJoin() throws Exception {
        int before = Threading.activeCount();
        CountDownLatch go = new CountDownLatch(1);
        List<PyThread> threads = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            threads.add(PyThread.builder().target(go::await).start());
        }
        assertTrue(Threading.activeCount() >= before + 10_000);
        go.countDown();
        for (PyThread thread : threads) {
            thread.join();
        }
        assertTrue(threads.stream().noneMatch(PyThread::isAlive));
        assertTrue(Threading.activeCount() <= before);
    }

    private interface Action {
        void run() throws Exception;
    }

    private static String captureStandardError(Action action) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}

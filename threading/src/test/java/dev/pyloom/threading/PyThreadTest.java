package dev.pyloom.threading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.testing.Spawned;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@link PyThread}: creation, lifecycle, join, names and daemon status, CPython's {@code ThreadTests}. */
class PyThreadTest {

    @Test
    void runsItsTarget() throws Exception {
        AtomicReference<String> ran = new AtomicReference<>();
        PyThread thread = new PyThread(() -> ran.set("yes"));
        thread.start();
        thread.join();
        assertEquals("yes", ran.get());
    }

    @Test
    void interruptEndsAWaitInAPrimitiveWithInterruptedException() throws Exception {
        for (boolean platform : new boolean[] {false, true}) {
            Event never = new Event();
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            PyThread.Builder builder = PyThread.builder().target(() -> {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    outcome.set(e);
                }
            });
            PyThread waiter = (platform ? builder.platform() : builder).start();
            Spawned.awaitUntil(() -> waiter.javaThread().getState() == Thread.State.WAITING);
            waiter.interrupt();
            waiter.join();
            assertTrue(outcome.get() instanceof InterruptedException, (platform ? "platform: " : "virtual: ") + outcome.get());
        }
    }

    @Test
    void isInterruptedSaysWhatTheThreadHasNotCleared() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        PyThread thread = PyThread.builder().platform().target(() -> {
            while (!done.get()) { // never looks at its interrupt status, so never clears it
                Thread.onSpinWait();
            }
        }).build();
        assertFalse(thread.isInterrupted());
        thread.start();
        thread.interrupt();
        assertTrue(thread.isInterrupted());
        done.set(true);
        thread.join();
    }

    @Test
    void passesArgumentsToItsTarget() throws Exception {
        List<Object> got = new ArrayList<>();
        PyThread one = PyThread.builder().target(got::add, 5).start();
        one.join();
        PyThread two = PyThread.builder().target((String a, Integer b) -> got.add(a + b), "x", 8).start();
        two.join();
        assertEquals(List.of(5, "x8"), got);
    }

    @Test
    void aSubclassMayOverrideRun() throws Exception {
        class Counter extends PyThread {
            int counted;

            @Override
            public void run() {
                counted = 42;
            }
        }
        Counter thread = new Counter();
        thread.start();
        thread.join();
        assertEquals(42, thread.counted);
    }

    @Test
    void namesDefaultToThreadN() {
        String name = new PyThread(() -> {}).name();
        assertTrue(name.matches("Thread-\\d+"), name);
        assertTrue(new PyThread(() -> {}).name().matches("Thread-\\d+"));
        assertFalse(name.equals(new PyThread(() -> {}).name()), "each default name is new");
    }

    @Test
    void aThreadKnowsItsGivenNameAndSoDoesItsJavaThread() throws Exception {
        AtomicReference<String> seenInside = new AtomicReference<>();
        AtomicReference<String> javaName = new AtomicReference<>();
        PyThread thread = new PyThread(() -> {
            seenInside.set(Threading.currentThread().name());
            javaName.set(Thread.currentThread().getName());
        }, "LoopThread");
        thread.start();
        thread.join();
        assertEquals("LoopThread", thread.name());
        assertEquals("LoopThread", seenInside.get());
        assertEquals("LoopThread", javaName.get());
    }

    @Test
    void renamingAlsoRenamesTheJavaThread() throws Exception {
        CountDownLatch renamed = new CountDownLatch(1);
        AtomicReference<String> javaName = new AtomicReference<>();
        PyThread thread = new PyThread(() -> {
            renamed.await();
            javaName.set(Thread.currentThread().getName());
        });
        thread.start();
        thread.setName("renamed");
        renamed.countDown();
        thread.join();
        assertEquals("renamed", javaName.get());
        assertThrows(NullPointerException.class, () -> thread.setName(null));
    }

    @Test
    void threadsAreVirtualUnlessAskedOtherwise() throws Exception {
        AtomicReference<Boolean> virtual = new AtomicReference<>();
        PyThread byDefault = new PyThread(() -> virtual.set(Thread.currentThread().isVirtual()));
        byDefault.start();
        byDefault.join();
        assertTrue(virtual.get());
        assertTrue(byDefault.isVirtual());

        PyThread platform = PyThread.builder().platform().target(() -> virtual.set(Thread.currentThread().isVirtual())).start();
        platform.join();
        assertFalse(virtual.get());
        assertFalse(platform.isVirtual());
    }

    @Test
    void isAliveFromStartUntilRunIsOver() throws Exception {
        CountDownLatch finish = new CountDownLatch(1);
        PyThread thread = new PyThread(finish::await);
        assertFalse(thread.isAlive(), "not before start");
        thread.start();
        assertTrue(thread.isAlive());
        finish.countDown();
        thread.join();
        assertFalse(thread.isAlive());
    }

    @Test
    void startingTwiceThrows() throws Exception {
        PyThread thread = new PyThread(() -> {});
        thread.start();
        IllegalStateException e = assertThrows(IllegalStateException.class, thread::start);
        assertEquals("threads can only be started once", e.getMessage());
        thread.join();
        assertThrows(IllegalStateException.class, thread::start);
    }

    @Test
    void joiningBeforeStartThrows() {
        PyThread thread = new PyThread(() -> {});
        IllegalStateException e = assertThrows(IllegalStateException.class, thread::join);
        assertEquals("cannot join thread before it is started", e.getMessage());
        assertThrows(IllegalStateException.class, () -> thread.join(Duration.ofSeconds(1)));
    }

    @Test
    void aThreadCannotJoinItself() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        PyThread thread = new PyThread(() -> {
            try {
                Threading.currentThread().join();
            } catch (IllegalStateException e) {
                failure.set(e);
            }
        });
        thread.start();
        thread.join();
        assertEquals("cannot join current thread", failure.get().getMessage());
    }

    @Test
    void joinWithATimeoutReportsWhetherTheThreadFinished() throws Exception {
        CountDownLatch finish = new CountDownLatch(1);
        PyThread thread = new PyThread(finish::await);
        thread.start();
        assertFalse(thread.join(Duration.ofMillis(10)));
        assertFalse(thread.join(Duration.ZERO));
        assertTrue(thread.isAlive());
        finish.countDown();
        assertTrue(thread.join(Spawned.PATIENCE));
        assertThrows(IllegalArgumentException.class, () -> thread.join(Duration.ofMillis(-1)));
    }

    @Test
    void anInterruptedJoinThrows() throws Exception {
        CountDownLatch finish = new CountDownLatch(1);
        PyThread thread = new PyThread(finish::await);
        thread.start();
        Spawned<Void> joiner = Spawned.run(thread::join).awaitBlocked();
        joiner.thread().interrupt();
        assertTrue(joiner.failure() instanceof InterruptedException);
        finish.countDown();
        thread.join();
    }

    @Test
    void daemonStatusIsInheritedFromTheCreator() throws Exception {
        assertFalse(new PyThread(() -> {}).isDaemon(), "the main thread is not a daemon");
        AtomicReference<Boolean> childDaemon = new AtomicReference<>();
        PyThread daemon = PyThread.builder().daemon(true).target(() -> childDaemon.set(new PyThread(() -> {}).isDaemon())).start();
        daemon.join();
        assertTrue(childDaemon.get());
    }

    @Test
    void daemonStatusCanBeSetUntilStart() throws Exception {
        CountDownLatch finish = new CountDownLatch(1);
        PyThread thread = new PyThread(finish::await);
        thread.setDaemon(true);
        assertTrue(thread.isDaemon());
        thread.start();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> thread.setDaemon(false));
        assertEquals("cannot set daemon status of active thread", e.getMessage());
        finish.countDown();
        thread.join();
    }

    @Test
    void setDaemonRacingStartNeverUnbalancesTheKeepAlive() throws Exception {
        int before = ThreadRegistry.keptAlive();
        for (int i = 0; i < 1_000; i++) {
            PyThread thread = new PyThread(() -> {});
            Spawned<Void> flip = Spawned.run(() -> {
                try {
                    thread.setDaemon(true);
                } catch (IllegalStateException tooLate) {
                    // start() won the race: fine, as long as the count stays right
                }
            });
            thread.start();
            flip.join();
            thread.join();
        }
        assertEquals(before, ThreadRegistry.keptAlive(), "every non-daemon start was matched by its end");
    }

    @Test
    void aPlatformThreadCarriesItsDaemonStatusToTheJvm() throws Exception {
        AtomicReference<Boolean> javaDaemon = new AtomicReference<>();
        PyThread thread = PyThread.builder().platform().daemon(true)
                .target(() -> javaDaemon.set(Thread.currentThread().isDaemon())).start();
        thread.join();
        assertTrue(javaDaemon.get());
    }

    @Test
    void currentThreadInsideIsTheSameObject() throws Exception {
        AtomicReference<PyThread> inside = new AtomicReference<>();
        PyThread thread = new PyThread(() -> inside.set(Threading.currentThread()));
        thread.start();
        thread.join();
        assertSame(thread, inside.get());
    }

    @Test
    void identIsTheJavaThreadId() throws Exception {
        AtomicReference<Long> inside = new AtomicReference<>();
        PyThread thread = new PyThread(() -> inside.set(Threading.getIdent()));
        thread.start();
        thread.join();
        assertEquals(thread.ident(), inside.get());
    }

    @Test
    void anExceptionInRunDoesNotReachTheJoiner() throws Exception {
        Threading.setExcepthook(args -> {});
        try {
            PyThread thread = new PyThread(() -> {
                throw new IllegalStateException("stays in the thread");
            });
            thread.start();
            thread.join();
            assertFalse(thread.isAlive());
        } finally {
            Threading.setExcepthook(Threading.defaultExcepthook());
        }
    }

    @Test
    void aNullTargetIsRejected() {
        assertThrows(NullPointerException.class, () -> new PyThread((PyThread.Target) null));
        assertThrows(NullPointerException.class, () -> PyThread.builder().name(null));
    }

    @Test
    void aThreadWithoutTargetOrOverrideDoesNothing() throws Exception {
        class Idle extends PyThread {}
        Idle idle = new Idle();
        idle.start();
        idle.join();
        assertFalse(idle.isAlive());
    }

    @Test
    void aSubclassMayChooseItsOptions() throws Exception {
        AtomicReference<Boolean> virtual = new AtomicReference<>();
        class Service extends PyThread {
            Service() {
                super(PyThread.builder().name("service").daemon(true).platform());
            }

            @Override
            public void run() {
                virtual.set(Thread.currentThread().isVirtual());
            }
        }
        Service service = new Service();
        assertEquals("service", service.name());
        assertTrue(service.isDaemon());
        service.start();
        service.join();
        assertFalse(virtual.get());
    }

    @Test
    void toStringShowsNameAndStatus() throws Exception {
        CountDownLatch finish = new CountDownLatch(1);
        PyThread thread = PyThread.builder().name("worker").daemon(true).target(finish::await).build();
        assertTrue(thread.toString().startsWith("PyThread[worker, initial daemon virtual #"), thread.toString());
        thread.start();
        assertTrue(thread.toString().contains("started"), thread.toString());
        finish.countDown();
        thread.join();
        assertTrue(thread.toString().contains("stopped"), thread.toString());
    }
}

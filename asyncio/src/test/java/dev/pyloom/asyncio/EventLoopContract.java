package dev.pyloom.asyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import dev.pyloom.asyncio.locks.Event;
import dev.pyloom.asyncio.generators.Generator;

/** The event loop itself: CPython's {@code test_events.EventLoopTestsMixin} and {@code test_base_events}. */
abstract class EventLoopContract extends LoopContract {

    @Test
    void runInsideAnotherLoopSaysSoAndLeavesTheLoopUsable() throws Exception {
        // Python's run_until_complete: "Cannot run the event loop while another loop is running".
        EventLoop inner = new EventLoop(strategy());
        try {
            IllegalStateException refused = run(() -> assertThrows(IllegalStateException.class, () -> inner.run(() -> "inner")));
            assertTrue(refused.getMessage().contains("another loop is running"), refused.getMessage());
            assertEquals("inner", inner.run(() -> "inner"), "the loop runs later, with no task left from the refusal");
        } finally {
            inner.close();
        }
    }

    @Test
    void runsWithTheStrategyItWasGiven() {
        assertEquals(strategy(), loop.strategy());
    }

    @Test
    void runReturnsTheCoroutinesResult() throws Exception {
        assertEquals("done", run(() -> "done"));
    }

    @Test
    void runRethrowsTheCoroutinesException() {
        IllegalStateException boom = new IllegalStateException("boom");
        assertSame(boom, assertThrows(IllegalStateException.class, () -> run(() -> {
            throw boom;
        })));
    }

    @Test
    void aCoroutineMayBlockOnAVirtualThreadItStartedItself() throws Exception {
        // The JDK gives a virtual thread its creator's scheduler; on the carrier strategy that
        // would be the loop, which cannot run it while the coroutine blocks waiting for it.
        String result = run(() -> {
            CompletableFuture<String> out = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> out.complete("computed on a virtual thread"));
            return out.get(PATIENCE.toSeconds(), TimeUnit.SECONDS); // blocks the loop, as Python's would
        });
        assertEquals("computed on a virtual thread", result);
    }

    @Test
    void aTaskStartedWhileCloseCancelsIsCancelledToo() throws Exception {
        AtomicReference<String> late = new AtomicReference<>("never started");
        loop.createTask(() -> {
            try {
                Asyncio.sleep(FOREVER);
            } finally { // runs as close() cancels: starts one more task
                Asyncio.createTask(() -> {
                    late.set("started");
                    try {
                        Asyncio.sleep(FOREVER);
                    } finally {
                        late.set("cancelled and finished");
                    }
                });
            }
        });
        loop.runUntilComplete(loop.createTask(() -> Asyncio.sleep(Duration.ZERO)));
        loop.close();
        assertEquals("cancelled and finished", late.get());
    }

    @Test
    void aThreadsafeCoroutineTheLoopNeverRanIsCancelledAtClose() {
        CompletableFuture<String> never = loop.runCoroutineThreadsafe(() -> "too late");
        loop.close();
        assertTrue(never.isCancelled(), "whoever waits on it must not wait forever");
    }

    @Test
    void asyncioRunWaitsForTheBlockingCallsStillRunning() throws Exception { // shutdown_default_executor
        AtomicReference<String> call = new AtomicReference<>("not finished");
        CountDownLatch started = new CountDownLatch(1);
        Asyncio.run(() -> {
            Asyncio.createTask(() -> Asyncio.toThread(() -> {
                started.countDown();
                Thread.sleep(200); // the blocking work that run() must wait for
                call.set("finished");
                return null;
            }));
            Asyncio.toThread(() -> {
                started.await();
                return null;
            });
        });
        assertEquals("finished", call.get());
    }

    @Test
    void callSoonCallbacksRunInTheOrderScheduled() throws Exception { // test_call_soon
        List<Integer> order = new ArrayList<>();
        run(() -> {
            for (int i = 0; i < 5; i++) {
                int n = i;
                loop.callSoon(() -> order.add(n));
            }
            Asyncio.sleep(Duration.ZERO);
        });
        assertEquals(List.of(0, 1, 2, 3, 4), order);
    }

    @Test
    void aCallbackScheduledByACallbackRunsAfterThoseAlreadyReady() throws Exception {
        List<String> order = new ArrayList<>();
        run(() -> {
            loop.callSoon(() -> {
                order.add("a");
                loop.callSoon(() -> order.add("a's child"));
            });
            loop.callSoon(() -> order.add("b"));
            Asyncio.sleep(ms(20));
        });
        assertEquals(List.of("a", "b", "a's child"), order);
    }

    @Test
    void callLaterRunsCallbacksInTimeOrder() throws Exception { // test_call_later
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        run(() -> {
            loop.callLater(ms(30), () -> order.add(30));
            loop.callLater(ms(10), () -> order.add(10));
            loop.callLater(ms(20), () -> order.add(20));
            Asyncio.sleep(ms(60));
        });
        assertEquals(List.of(10, 20, 30), order);
    }

    @Test
    void timersDueTogetherRunInSchedulingOrder() throws Exception {
        List<Integer> order = new ArrayList<>();
        run(() -> {
            Duration when = loop.time().plus(ms(5));
            for (int i = 0; i < 5; i++) {
                int n = i;
                loop.callAt(when, () -> order.add(n));
            }
            Asyncio.sleep(ms(30));
        });
        assertEquals(List.of(0, 1, 2, 3, 4), order);
    }

    @Test
    void callLaterWaitsAtLeastTheDelayOnTheLoopClock() throws Exception {
        Duration[] times = new Duration[2];
        run(() -> {
            Future<Void> fired = loop.createFuture();
            times[0] = loop.time();
            loop.callLater(ms(50), () -> {
                times[1] = loop.time();
                fired.setResult(null);
            });
            fired.await();
        });
        assertTrue(times[1].minus(times[0]).compareTo(ms(50)) >= 0, times[0] + " -> " + times[1]);
    }

    @Test
    void aTurnRunsWhatWasReadyWhenItBeganThenWhatThoseSteps() throws Exception {
        // CPython 3.11 prints exactly this order; under handoff, tasks of one turn pass the turn
        // straight to each other, which must not change it.
        List<String> order = new ArrayList<>();
        run(() -> {
            Event go = new Event();
            List<Task<Void>> tasks = new ArrayList<>();
            for (String name : List.of("a", "b", "c")) {
                tasks.add(Asyncio.createTask(() -> {
                    go.await();
                    order.add(name);
                    loop.callSoon(() -> order.add(name + "-callback"));
                    Asyncio.sleep(Duration.ZERO);
                    order.add(name + "-again");
                }));
            }
            Asyncio.sleep(Duration.ZERO);
            go.set();
            Asyncio.gather(tasks);
        });
        assertEquals(List.of("a", "b", "c", "a-callback", "a-again", "b-callback", "b-again", "c-callback", "c-again"), order);
    }

    @Test
    void anInterruptOfTheThreadRunningTheLoopIsKeptForItUntilRunReturns() throws Exception {
        Thread caller = Thread.currentThread();
        try {
            run(() -> {
                Future<Void> interrupted = loop.createFuture();
                Thread.ofPlatform().start(() -> {
                    caller.interrupt();
                    loop.callSoonThreadsafe(() -> interrupted.setResult(null));
                });
                interrupted.await(); // the loop idles meanwhile: the interrupt wakes it, and no more
                Asyncio.sleep(ms(5));
            });
            assertTrue(Thread.interrupted(), "the caller's interrupt was lost");
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void anInterruptDuringAStepOrBeforeRunIsKeptForTheCallerToo() throws Exception {
        Thread caller = Thread.currentThread();
        try {
            run(() -> {
                caller.interrupt(); // while this coroutine's step runs
                Asyncio.createTask(() -> Asyncio.sleep(FOREVER)); // left for run() to cancel, which runs the loop again
            });
            assertTrue(Thread.interrupted(), "an interrupt during a step was lost");
            caller.interrupt();
            run(() -> Asyncio.sleep(ms(1)));
            assertTrue(Thread.interrupted(), "an interrupt from before run() was lost");
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void cancelledTimersLeaveTheHeapLongBeforeTheyAreDue() throws Exception { // test_timer_handle_cancel counts
        run(() -> {
            // Cancelled on the loop, a timer leaves the heap at once; cancelled from another
            // thread (the heap is the loop's alone), at the loop's next turn.
            List<TimerHandle> here = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                here.add(loop.callLater(FOREVER, () -> {}));
            }
            here.forEach(TimerHandle::cancel);
            assertEquals(0, loop.dispatcher.timersInHeap());
            List<TimerHandle> elsewhere = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                elsewhere.add(loop.callLater(FOREVER, () -> {}));
            }
            Asyncio.toThread(() -> {
                elsewhere.forEach(TimerHandle::cancel);
                return null;
            });
            Asyncio.sleep(Duration.ZERO); // the next turn
            assertEquals(0, loop.dispatcher.timersInHeap());
        });
    }

    @Test
    void aCancelledHandleDoesNotRun() throws Exception { // test_handle: cancel
        List<String> ran = new ArrayList<>();
        run(() -> {
            Handle soon = loop.callSoon(() -> ran.add("soon"));
            TimerHandle later = loop.callLater(ms(1), () -> ran.add("later"));
            soon.cancel();
            later.cancel();
            assertTrue(soon.cancelled() && later.cancelled());
            Asyncio.sleep(ms(20));
        });
        assertEquals(List.of(), ran);
    }

    @Test
    void manyCancelledTimersAreForgotten() throws Exception {
        AtomicInteger ran = new AtomicInteger();
        run(() -> {
            for (int i = 0; i < 1000; i++) {
                loop.callLater(FOREVER, ran::incrementAndGet).cancel();
            }
            Asyncio.sleep(Duration.ZERO);
        });
        assertEquals(0, ran.get());
    }

    @Test
    void runForeverReturnsOnceStopIsCalled() { // test_run_forever
        loop.callSoon(loop::stop);
        loop.runForever();
        assertFalse(loop.isRunning());
    }

    @Test
    void aStopBeforeRunForeverMakesItRunOneTurn() { // test_run_once_in_executor... _run_forever with pre-stop
        List<String> ran = new ArrayList<>();
        loop.callSoon(() -> ran.add("first turn"));
        loop.stop();
        loop.runForever();
        assertEquals(List.of("first turn"), ran);
    }

    @Test
    void isRunningIsTrueOnlyWhileItRuns() throws Exception {
        assertFalse(loop.isRunning());
        assertTrue(run(() -> loop.isRunning()));
        assertFalse(loop.isRunning());
    }

    @Test
    void aClosedLoopRefusesToRunAndClosingTwiceIsHarmless() { // test_close
        loop.close();
        assertTrue(loop.isClosed());
        loop.close();
        assertThrows(IllegalStateException.class, loop::runForever);
        assertThrows(IllegalStateException.class, () -> loop.callSoon(() -> {}));
    }

    @Test
    void aClosedLoopRefusesEveryWayOfSchedulingWork() { // BaseEventLoop._check_closed
        loop.close();
        List<org.junit.jupiter.api.function.Executable> uses = List.of(
                () -> loop.callSoon(() -> {}),
                () -> loop.callSoonThreadsafe(() -> {}),
                () -> loop.callLater(Duration.ZERO, () -> {}),
                () -> loop.callAt(loop.time(), () -> {}),
                () -> loop.createTask(() -> "never"),
                () -> loop.run(() -> "never"),
                () -> loop.runUntilComplete(() -> "never"),
                loop::runForever,
                () -> loop.runInExecutor(null, () -> "never"),
                () -> loop.runCoroutineThreadsafe(() -> "never"));
        for (int i = 0; i < uses.size(); i++) {
            IllegalStateException refused = assertThrows(IllegalStateException.class, uses.get(i), "use " + i);
            assertTrue(refused.getMessage().contains("closed"), "use " + i + ": " + refused.getMessage());
        }
    }

    @Test
    void aThreadsafeCoroutineThatIsCancelledRethrowsItsOwnCancellationThroughTheCompletableFuture() throws Exception {
        CancelledException[] raised = {null};
        java.util.concurrent.CompletableFuture<String> result = loop.runCoroutineThreadsafe(() -> {
            try {
                Asyncio.currentTask().orElseThrow().cancel("stop");
                Asyncio.sleep(Duration.ZERO);
                return "not cancelled";
            } catch (CancelledException e) {
                raised[0] = e;
                throw e;
            }
        });
        loop.runUntilComplete(loop.createTask(() -> {
            while (!result.isDone()) {
                Asyncio.sleep(Duration.ZERO);
            }
            return null;
        }));
        assertTrue(result.isCancelled());
        java.util.concurrent.CancellationException thrown =
                assertThrows(java.util.concurrent.CancellationException.class, result::get);
        // CompletableFuture.get() may wrap it in a CancellationException of its own, for the
        // caller's stack (JDK 23+): the coroutine's exception is then its cause.
        assertSame(raised[0], thrown == raised[0] ? thrown : thrown.getCause());
    }

    @Test
    void closingARunningLoopThrows() throws Exception {
        assertThrows(IllegalStateException.class, () -> run(() -> loop.close()));
    }

    @Test
    void runningALoopFromInsideAnotherThrows() throws Exception { // test_run_until_complete_nesting
        assertThrows(IllegalStateException.class, () -> run(() -> {
            try (EventLoop other = new EventLoop(strategy())) {
                other.run(() -> "nested");
            }
        }));
    }

    @Test
    void runUntilCompleteThrowsIfTheLoopStopsFirst() {
        Future<String> never = loop.createFuture();
        loop.callSoon(loop::stop);
        assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(never));
    }

    @Test
    void closeCancelsAndFinishesTasksStillPending() throws Exception {
        AtomicReference<Task<Void>> leftBehind = new AtomicReference<>();
        AtomicInteger cleanedUp = new AtomicInteger();
        loop.runUntilComplete(() -> {
            leftBehind.set(Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(FOREVER);
                } finally {
                    cleanedUp.incrementAndGet();
                }
            }));
            Asyncio.sleep(Duration.ZERO);
            return null;
        });
        loop.close();
        assertTrue(leftBehind.get().cancelled());
        assertEquals(1, cleanedUp.get());
    }

    @Test
    void callSoonThreadsafeWakesAnIdleLoop() throws Exception { // test_call_soon_threadsafe
        Thread[] ranOn = new Thread[1];
        String result = run(() -> {
            Future<String> reply = loop.createFuture();
            Thread.ofPlatform().start(() -> loop.callSoonThreadsafe(() -> {
                ranOn[0] = Thread.currentThread();
                reply.setResult("from another thread");
            }));
            return reply.await();
        });
        assertEquals("from another thread", result);
        assertNotNull(ranOn[0]);
    }

    @Test
    void callSoonFromAnotherThreadWhileRunningIsRejected() throws Exception {
        Throwable thrown = run(() -> Asyncio.toThread(() -> {
            try {
                loop.callSoon(() -> {});
                return null;
            } catch (IllegalStateException expected) {
                return expected;
            }
        }));
        assertInstanceOf(IllegalStateException.class, thrown);
        assertTrue(thrown.getMessage().contains("callSoonThreadsafe"), thrown.getMessage());
    }

    /** Runs the loop on a thread of its own until {@code stop()}; returns once it runs. */
    private Thread runForeverInAnotherThread() throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        Thread loopThread = Thread.ofPlatform().start(() -> {
            loop.callSoon(running::countDown);
            loop.runForever();
        });
        running.await();
        return loopThread;
    }

    @Test
    void runCoroutineThreadsafeCompletesACompletableFuture() throws Exception { // test_run_coroutine_threadsafe
        Thread loopThread = runForeverInAnotherThread();
        CompletableFuture<Integer> answer = loop.runCoroutineThreadsafe(() -> {
            Asyncio.sleep(ms(1));
            return 42;
        });
        assertEquals(42, answer.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        loop.stop();
        loopThread.join();
    }

    @Test
    void runCoroutineThreadsafeReportsTheCoroutinesFailure() throws Exception {
        Thread loopThread = runForeverInAnotherThread();
        CompletableFuture<Integer> answer = loop.runCoroutineThreadsafe(() -> {
            throw new ArithmeticException("bad");
        });
        ExecutionException e = assertThrows(ExecutionException.class, () -> answer.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        assertInstanceOf(ArithmeticException.class, e.getCause());
        loop.stop();
        loopThread.join();
    }

    @Test
    void cancellingTheCompletableFutureCancelsTheTask() throws Exception { // test_run_coroutine_threadsafe_task_cancelled
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<Throwable> seen = new AtomicReference<>();
        Thread loopThread = runForeverInAnotherThread();
        CompletableFuture<Void> forever = loop.runCoroutineThreadsafe(() -> {
            started.countDown();
            try {
                Asyncio.sleep(FOREVER);
            } catch (CancelledException e) {
                seen.set(e);
                throw e;
            }
            return null;
        });
        started.await();
        forever.cancel(false);
        awaitUntil(() -> seen.get() != null);
        loop.stop();
        loopThread.join();
    }

    @Test
    void runInExecutorRunsTheFunctionOffTheLoop() throws Exception { // test_run_in_executor
        Thread[] threads = new Thread[2];
        String result = run(() -> {
            threads[0] = Thread.currentThread();
            return loop.runInExecutor(null, () -> {
                threads[1] = Thread.currentThread();
                return "computed";
            }).await();
        });
        assertEquals("computed", result);
        assertFalse(threads[0] == threads[1]);
    }

    @Test
    void toThreadLetsOtherCoroutinesRunWhileItBlocks() throws Exception { // test_threads.test_to_thread
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        run(() -> {
            CountDownLatch otherRan = new CountDownLatch(1);
            Task<Void> other = Asyncio.createTask(() -> {
                order.add("other coroutine");
                otherRan.countDown();
            });
            String blocking = Asyncio.toThread(() -> {
                otherRan.await(); // would deadlock if the loop were held
                order.add("blocking call");
                return "ok";
            });
            other.await();
            assertEquals("ok", blocking);
        });
        assertEquals(List.of("other coroutine", "blocking call"), order);
    }

    @Test
    void toThreadRethrowsTheFunctionsException() {
        assertThrows(java.io.IOException.class, () -> run(() -> Asyncio.toThread(() -> {
            throw new java.io.IOException("disk");
        })));
    }

    @Test
    void anExceptionInACallbackGoesToTheExceptionHandler() throws Exception { // test_set_exc_handler_custom
        List<ExceptionContext> reported = new ArrayList<>();
        RuntimeException boom = new RuntimeException("boom");
        run(() -> {
            loop.setExceptionHandler((l, context) -> reported.add(context));
            loop.callSoon(() -> {
                throw boom;
            });
            loop.callSoon(() -> reported.add(null)); // the loop goes on after the failure
            Asyncio.sleep(ms(5));
        });
        assertEquals(2, reported.size());
        assertSame(boom, reported.get(0).exception());
        assertTrue(reported.get(0).message().startsWith("Exception in callback"));
        assertNotNull(reported.get(0).handle());
    }

    @Test
    void aFailingExceptionHandlerDoesNotStopTheLoop() throws Exception { // test_set_exc_handler_broken
        AtomicInteger calls = new AtomicInteger();
        java.io.PrintStream err = System.err;
        System.setErr(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        try {
            String result = run(() -> {
                loop.setExceptionHandler((l, context) -> {
                    calls.incrementAndGet();
                    throw new IllegalStateException("handler broken");
                });
                loop.callSoon(() -> {
                    throw new RuntimeException("boom");
                });
                Asyncio.sleep(ms(5));
                return "still running";
            });
            assertEquals("still running", result);
        } finally {
            System.setErr(err);
        }
        assertEquals(1, calls.get());
    }

    @Test
    void theLoopKeepsAStrongReferenceToItsTasks() throws Exception { // bpo-21163, gh-91887
        WeakReference<Task<Void>> weak = loop.runUntilComplete(() -> {
            Task<Void> orphan = Asyncio.createTask(() -> new Future<Void>().await()); // nobody else refers to it
            Asyncio.sleep(Duration.ZERO);
            return new WeakReference<>(orphan);
        });
        for (int i = 0; i < 5; i++) {
            System.gc();
        }
        assertNotNull(weak.get(), "a pending task was garbage-collected");
        loop.runUntilComplete(() -> {
            assertEquals(1, Asyncio.allTasks().size() - 1); // the orphan, besides this task
            return null;
        });
    }

    @Test
    void twoCoroutinesOfALoopNeverRunAtTheSameMoment() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        int[] unguarded = {0}; // deliberately neither atomic nor locked
        int tasks = 50;
        int rounds = 200;
        run(() -> {
            List<Task<Void>> all = new ArrayList<>();
            for (int t = 0; t < tasks; t++) {
                all.add(Asyncio.createTask(() -> {
                    for (int r = 0; r < rounds; r++) {
                        if (running.incrementAndGet() != 1) {
                            overlaps.incrementAndGet();
                        }
                        int seen = unguarded[0];
                        if (r % 50 == 0) {
                            LockSupport.parkNanos(100_000); // a blocking JDK call holds the loop
                        } else {
                            Thread.onSpinWait();
                        }
                        unguarded[0] = seen + 1;
                        running.decrementAndGet();
                        Asyncio.sleep(Duration.ZERO);
                    }
                }));
            }
            Asyncio.gather(all);
        });
        assertEquals(0, overlaps.get());
        assertEquals(tasks * rounds, unguarded[0]);
    }

    @Test
    void aBlockingCallInsideACoroutineHoldsTheWholeLoop() throws Exception {
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        run(() -> {
            Task<?> other = Asyncio.createTask(() -> order.add("other"));
            order.add("blocking starts");
            LockSupport.parkNanos(20_000_000);
            order.add("blocking ends");
            other.await();
        });
        assertEquals(List.of("blocking starts", "blocking ends", "other"), order);
    }

    @Test
    void aHundredThousandConcurrentTasksComplete() throws Exception {
        int n = 100_000;
        long sum = run(() -> {
            List<Task<Integer>> tasks = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int value = i;
                tasks.add(Asyncio.createTask(() -> {
                    Asyncio.sleep(Duration.ZERO);
                    return value;
                }));
            }
            long total = 0;
            for (int value : Asyncio.gather(tasks)) {
                total += value;
            }
            return total;
        });
        assertEquals((long) n * (n - 1) / 2, sum);
    }

    @Test
    void currentTaskIsTheRunningTaskAndEmptyInACallback() throws Exception { // test_current_task
        run(() -> {
            Task<?> me = Asyncio.currentTask().orElseThrow();
            assertTrue(Asyncio.allTasks().contains(me));
            Future<Boolean> inCallback = loop.createFuture();
            loop.callSoon(() -> inCallback.setResult(Asyncio.currentTask().isEmpty()));
            assertTrue(inCallback.await());
        });
    }

    @Test
    void asyncioFunctionsOutsideALoopThrow() {
        assertThrows(IllegalStateException.class, () -> Asyncio.sleep(Duration.ZERO));
        assertThrows(IllegalStateException.class, Asyncio::getRunningLoop);
        assertTrue(Asyncio.currentTask().isEmpty());
    }

    @Test
    void aLoopCanRunAgainAfterItStopped() throws Exception {
        assertEquals(1, run(() -> 1));
        assertEquals(2, run(() -> 2));
    }

    @Test
    void theLoopClockIsMonotonic() {
        Duration first = loop.time();
        assertTrue(loop.time().compareTo(first) >= 0);
    }

    @Test
    void aCoroutineMayDriveAGenerator() throws Exception {
        List<Integer> yielded = run(() -> {
            List<Integer> out = new ArrayList<>();
            Generator<Integer, Void, Void> counter = new Generator<>(y -> {
                for (int i = 0; i < 3; i++) {
                    y.yield(i);
                    Thread.onSpinWait();
                }
                return null;
            });
            counter.forEachRemaining(out::add);
            Asyncio.sleep(Duration.ZERO);
            return out;
        });
        assertEquals(List.of(0, 1, 2), yielded);
    }
}

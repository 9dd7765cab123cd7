package dev.pyloom.asyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.asyncio.Asyncio.DoneAndPending;
import dev.pyloom.asyncio.Asyncio.ReturnWhen;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import dev.pyloom.asyncio.locks.Event;

/**
 * Tasks, futures, cancellation and the functions that combine them: CPython's
 * {@code test_tasks.BaseTaskTests}, {@code test_futures} and {@code test_waitfor}.
 */
abstract class TaskContract extends LoopContract {

    // ---- futures

    @Test
    void aPendingFuturesResultThrowsIllegalState() throws Exception { // test_result: InvalidStateError
        run(() -> {
            Future<String> future = loop.createFuture();
            assertFalse(future.done());
            assertThrows(IllegalStateException.class, future::result);
            assertThrows(IllegalStateException.class, future::exception);
        });
    }

    @Test
    void settingAResultTwiceThrows() throws Exception { // test_result: InvalidStateError on set_result
        run(() -> {
            Future<String> future = loop.createFuture();
            future.setResult("first");
            assertThrows(IllegalStateException.class, () -> future.setResult("second"));
            assertEquals("first", future.result());
        });
    }

    @Test
    void aFailedFutureRethrowsItsExceptionAsItWas() throws Exception { // test_exception
        java.io.IOException failure = new java.io.IOException("disk");
        run(() -> {
            Future<String> future = loop.createFuture();
            future.setException(failure);
            assertSame(failure, future.exception());
            assertSame(failure, assertThrows(java.io.IOException.class, future::await));
        });
    }

    @Test
    void aCancelledFutureThrowsCancelledExceptionFromResultAndException() throws Exception { // test_cancel
        run(() -> {
            Future<String> future = loop.createFuture();
            assertTrue(future.cancel("no longer needed"));
            assertTrue(future.cancelled() && future.done());
            assertFalse(future.cancel(), "cancelling a done future does nothing");
            assertEquals("no longer needed", assertThrows(CancelledException.class, future::result).getMessage());
            assertThrows(CancelledException.class, future::exception);
        });
    }

    @Test
    void doneCallbacksAreScheduledInOrderNotRunInline() throws Exception { // test_callbacks_invoked_on_set_result
        List<String> order = new ArrayList<>();
        run(() -> {
            Future<String> future = loop.createFuture();
            future.addDoneCallback(f -> order.add("first"));
            future.addDoneCallback(f -> order.add("second"));
            future.setResult("x");
            order.add("after setResult");
            Asyncio.sleep(Duration.ZERO);
        });
        assertEquals(List.of("after setResult", "first", "second"), order);
    }

    @Test
    void removeDoneCallbackRemovesEveryRegistrationAndCountsThem() throws Exception { // test_remove_done_callback
        List<String> ran = new ArrayList<>();
        run(() -> {
            Future<String> future = loop.createFuture();
            Consumer<Future<String>> callback = f -> ran.add("removed");
            future.addDoneCallback(callback);
            future.addDoneCallback(f -> ran.add("kept"));
            future.addDoneCallback(callback);
            assertEquals(2, future.removeDoneCallback(callback));
            future.setResult("x");
            Asyncio.sleep(Duration.ZERO);
        });
        assertEquals(List.of("kept"), ran);
    }

    @Test
    void completingAFutureFromAnotherThreadIsRejected() throws Exception {
        Throwable thrown = run(() -> {
            Future<String> future = loop.createFuture();
            return Asyncio.toThread(() -> {
                try {
                    future.setResult("from the wrong thread");
                    return null;
                } catch (IllegalStateException expected) {
                    return expected;
                }
            });
        });
        assertInstanceOf(IllegalStateException.class, thrown);
    }

    // ---- tasks

    @Test
    void awaitingATaskReturnsItsResult() throws Exception {
        assertEquals(42, run(() -> Asyncio.createTask(() -> 42).await()));
    }

    @Test
    void awaitingAFailedTaskRethrowsTheSameException() {
        ArithmeticException failure = new ArithmeticException("bad");
        assertSame(failure, assertThrows(ArithmeticException.class, () -> run(() -> Asyncio.createTask(() -> {
            throw failure;
        }).await())));
    }

    @Test
    void tasksAreNamedTaskNUnlessNamed() throws Exception { // test_task_set_name / get_name
        run(() -> {
            Task<Integer> unnamed = Asyncio.createTask(() -> 1);
            Task<Integer> named = Asyncio.createTask(() -> 2, "worker");
            assertTrue(unnamed.getName().matches("Task-\\d+"), unnamed.getName());
            assertEquals("worker", named.getName());
            named.setName("renamed");
            assertEquals("renamed", named.getName());
            Asyncio.gather(unnamed, named);
        });
    }

    @Test
    void aTaskCannotBeCompletedFromOutside() throws Exception { // test_set_result_causes_invalid_state
        run(() -> {
            Task<Integer> task = Asyncio.createTask(() -> 1);
            assertThrows(IllegalStateException.class, () -> task.setResult(2));
            assertThrows(IllegalStateException.class, () -> task.setException(new RuntimeException()));
            assertEquals(1, task.await());
        });
    }

    @Test
    void aTaskCannotAwaitItself() throws Exception { // test_await_itself
        Task<?>[] self = new Task<?>[1];
        run(() -> {
            self[0] = Asyncio.createTask(() -> self[0].await());
            assertInstanceOf(IllegalStateException.class, Asyncio.gather(List.of(self[0]), true).get(0));
        });
    }

    @Test
    void aTaskThatCancelledItselfIsCancelledAtItsNextSleepNotWhenTheSleepEnds() throws Exception { // test_cancel_current_task
        run(() -> {
            Task<Void> task = Asyncio.createTask(() -> {
                Asyncio.currentTask().orElseThrow().cancel("myself");
                Asyncio.sleep(FOREVER);
            });
            Asyncio.sleep(Duration.ZERO); // its first step runs: it cancels itself and sleeps
            Asyncio.sleep(Duration.ZERO);
            assertTrue(task.cancelled(), task.toString());
            assertEquals("myself", assertThrows(CancelledException.class, task::result).getMessage());
        });
    }

    @Test
    void aCancelledSleepEndsInACancellationEvenIfUncancelledBeforeItWakes() throws Exception { // the sleep's future is cancelled
        run(() -> {
            Task<String> sleeper = Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(ms(300));
                    return "slept";
                } catch (CancelledException e) {
                    return "cancelled: " + e.getMessage();
                }
            });
            Asyncio.sleep(Duration.ZERO); // it starts, and sleeps
            assertTrue(sleeper.cancel("stop"));
            assertEquals(0, sleeper.uncancel());
            assertEquals("cancelled: stop", sleeper.await());
        });
    }

    @Test
    void sleepZeroLetsTheOtherReadyTasksRunFirst() throws Exception { // test_sleep_zero
        List<String> order = new ArrayList<>();
        run(() -> {
            Task<?> other = Asyncio.createTask(() -> order.add("other"));
            order.add("before");
            Asyncio.sleep(Duration.ZERO);
            order.add("after");
            other.await();
        });
        assertEquals(List.of("before", "other", "after"), order);
    }

    @Test
    void sleepLastsAtLeastTheDelayOnTheLoopClock() throws Exception {
        Duration elapsed = run(() -> {
            Duration start = loop.time();
            Asyncio.sleep(ms(30));
            return loop.time().minus(start);
        });
        assertTrue(elapsed.compareTo(ms(30)) >= 0, elapsed.toString());
    }

    // ---- cancellation

    @Test
    void cancelThrowsCancelledExceptionAtTheAwaitPoint() throws Exception { // test_cancel
        run(() -> {
            Task<Void> sleeper = Asyncio.createTask(() -> Asyncio.sleep(FOREVER));
            Asyncio.sleep(Duration.ZERO);
            assertTrue(sleeper.cancel());
            assertThrows(CancelledException.class, sleeper::await);
            assertTrue(sleeper.cancelled());
        });
    }

    @Test
    void theCancelMessageReachesTheCoroutine() throws Exception { // test_cancel_with_message_then_future_result
        String seen = run(() -> {
            Task<String> task = Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(FOREVER);
                    return "not cancelled";
                } catch (CancelledException e) {
                    return e.getMessage();
                }
            });
            Asyncio.sleep(Duration.ZERO);
            task.cancel("stop now");
            return task.await();
        });
        assertEquals("stop now", seen);
    }

    @Test
    void awaitingACancelledTaskRethrowsTheExceptionItsCoroutineRaised() throws Exception { // test_cancel_traceback_for_future_result
        // Python's task keeps the CancelledError its coroutine let through (_cancelled_exc) and
        // result() raises that very object: its stack trace and what is attached to it survive.
        run(() -> {
            CancelledException[] raised = {null};
            Task<Void> task = Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(FOREVER);
                } catch (CancelledException e) {
                    e.addSuppressed(new IllegalStateException("clean-up failed"));
                    raised[0] = e;
                    throw e;
                }
            });
            Asyncio.sleep(Duration.ZERO);
            task.cancel("stop now");
            CancelledException awaited = assertThrows(CancelledException.class, task::await);
            assertSame(raised[0], awaited);
            assertSame(raised[0], assertThrows(CancelledException.class, task::result));
            assertSame(raised[0], assertThrows(CancelledException.class, task::exception));
            assertEquals("clean-up failed", awaited.getSuppressed()[0].getMessage());
        });
    }

    @Test
    void aCancelledTaskThatRaisedItsOwnCancellationKeepsItsMessage() throws Exception {
        CancelledException awaited = run(() -> {
            Task<Void> task = Asyncio.createTask(() -> {
                throw new CancelledException("gave up by itself");
            });
            return assertThrows(CancelledException.class, task::await);
        });
        assertEquals("gave up by itself", awaited.getMessage());
    }

    // ---- wrapFuture: awaiting another thread's (or process's) future without holding the loop

    @Test
    void aWrappedFutureIsAwaitedWhileOtherCoroutinesRun() throws Exception { // test_wrap_future
        java.util.concurrent.CompletableFuture<String> elsewhere = new java.util.concurrent.CompletableFuture<>();
        List<String> order = run(() -> {
            List<String> log = new ArrayList<>();
            Task<Void> other = Asyncio.createTask(() -> {
                log.add("another coroutine ran");
                Thread.ofPlatform().start(() -> elsewhere.complete("from another thread"));
            });
            log.add(Asyncio.wrapFuture(elsewhere).await());
            other.await();
            return log;
        });
        assertEquals(List.of("another coroutine ran", "from another thread"), order);
    }

    @Test
    void aWrappedPlainFuturesFailureIsItsCause() throws Exception {
        java.util.concurrent.FutureTask<String> work = new java.util.concurrent.FutureTask<>(() -> {
            throw new java.io.IOException("failed elsewhere");
        });
        java.io.IOException failure = run(() -> {
            Future<String> wrapped = Asyncio.wrapFuture(work);
            Thread.ofPlatform().start(work);
            return assertThrows(java.io.IOException.class, wrapped::await);
        });
        assertEquals("failed elsewhere", failure.getMessage());
    }

    @Test
    void cancellingTheWaitCancelsTheWrappedFuture() throws Exception { // wrap_future: _chain_future cancels the source
        java.util.concurrent.FutureTask<String> neverRun = new java.util.concurrent.FutureTask<>(() -> "never");
        run(() -> {
            Task<String> waiter = Asyncio.createTask(() -> Asyncio.wrapFuture(neverRun).await());
            Asyncio.sleep(Duration.ZERO);
            waiter.cancel();
            assertThrows(CancelledException.class, waiter::await);
        });
        assertTrue(neverRun.isCancelled());
    }

    @Test
    void aWrappedFutureCancelledElsewhereCancelsTheWait() throws Exception {
        java.util.concurrent.CompletableFuture<String> elsewhere = new java.util.concurrent.CompletableFuture<>();
        run(() -> {
            Future<String> wrapped = Asyncio.wrapFuture(elsewhere);
            elsewhere.cancel(false);
            assertThrows(CancelledException.class, wrapped::await);
        });
    }

    @Test
    void aCancelledCoroutineMayAwaitWhileItCleansUp() throws Exception { // test_cancel_inner_future...
        List<String> order = new ArrayList<>();
        run(() -> {
            Task<Void> task = Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(FOREVER);
                } finally {
                    Asyncio.sleep(ms(1));
                    order.add("cleaned up");
                }
            });
            Asyncio.sleep(Duration.ZERO);
            task.cancel();
            assertThrows(CancelledException.class, task::await);
        });
        assertEquals(List.of("cleaned up"), order);
    }

    @Test
    void aTaskThatSwallowsItsCancellationIsNotCancelled() throws Exception { // test_cancel_yield... swallowed
        String result = run(() -> {
            Task<String> task = Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(FOREVER);
                } catch (CancelledException ignored) {
                    // deliberately swallowed
                }
                return "carried on";
            });
            Asyncio.sleep(Duration.ZERO);
            task.cancel();
            String value = task.await();
            assertFalse(task.cancelled());
            assertEquals(1, task.cancelling());
            return value;
        });
        assertEquals("carried on", result);
    }

    @Test
    void aTaskCancelledBeforeItStartsNeverRunsItsBody() throws Exception { // test_cancel_not_started
        List<String> ran = new ArrayList<>();
        run(() -> {
            Task<?> task = Asyncio.createTask(() -> ran.add("body"));
            task.cancel();
            assertThrows(CancelledException.class, task::await);
            assertTrue(task.cancelled());
        });
        assertEquals(List.of(), ran);
    }

    @Test
    void cancellingADoneTaskReturnsFalse() throws Exception { // test_cancel_done_future
        run(() -> {
            Task<Integer> task = Asyncio.createTask(() -> 1);
            task.await();
            assertFalse(task.cancel());
            assertFalse(task.cancelled());
        });
    }

    @Test
    void aCancellationRequestedWhileRunningIsThrownAtTheNextAwaitPoint() throws Exception { // test_cancel_current_task
        List<String> order = new ArrayList<>();
        run(() -> {
            Task<Void> task = Asyncio.createTask(() -> {
                Asyncio.currentTask().orElseThrow().cancel();
                order.add("still running after cancel()");
                Asyncio.sleep(Duration.ZERO);
                order.add("not reached");
            });
            assertThrows(CancelledException.class, task::await);
        });
        assertEquals(List.of("still running after cancel()"), order);
    }

    @Test
    void aCancellationRequestedWhileRunningCancelsTheTaskItThenAwaits() throws Exception { // Task.__step: _must_cancel
        run(() -> {
            Task<Void> inner = Asyncio.createTask(() -> Asyncio.sleep(FOREVER));
            Task<Void> outer = Asyncio.createTask(() -> {
                Asyncio.currentTask().orElseThrow().cancel();
                inner.await();
            });
            assertThrows(CancelledException.class, outer::await);
            assertTrue(inner.cancelled(), "the awaited task took the cancellation");
        });
    }

    @Test
    void aTaskCancelledRightBeforeItReturnsEndsCancelled() throws Exception { // test_cancel_at_end
        run(() -> {
            Task<String> task = Asyncio.createTask(() -> {
                Asyncio.currentTask().orElseThrow().cancel();
                return "returned anyway";
            });
            assertThrows(CancelledException.class, task::await);
            assertTrue(task.cancelled());
        });
    }

    @Test
    void cancellingATaskCancelsTheTaskItAwaits() throws Exception { // test_cancel_inner_future
        run(() -> {
            Task<Void> inner = Asyncio.createTask(() -> Asyncio.sleep(FOREVER));
            Task<Void> outer = Asyncio.createTask(() -> inner.await());
            Asyncio.sleep(Duration.ZERO);
            outer.cancel();
            assertThrows(CancelledException.class, outer::await);
            assertTrue(inner.cancelled());
        });
    }

    @Test
    void cancellationIsNeverSwallowedByTheLoopWhenTheAwaitedFutureIsAlreadyDone() throws Exception { // test_cancel_both_task_and_inner_future
        run(() -> {
            Future<String> future = loop.createFuture();
            Task<String> task = Asyncio.createTask(() -> future.await());
            Asyncio.sleep(Duration.ZERO);
            future.setResult("done first"); // the task's wake-up is queued...
            task.cancel();                   // ...and the cancellation still wins
            assertThrows(CancelledException.class, task::await);
        });
    }

    // ---- gather

    @Test
    void gatherReturnsResultsInTheOrderGiven() throws Exception { // test_gather: result order
        List<Integer> results = run(() -> Asyncio.gather(
                Asyncio.createTask(() -> {
                    Asyncio.sleep(ms(20));
                    return 1;
                }),
                Asyncio.createTask(() -> 2)));
        assertEquals(List.of(1, 2), results);
    }

    @Test
    void gatherOfNothingIsAnEmptyList() throws Exception {
        assertEquals(List.of(), run(() -> Asyncio.gather(List.<Future<Integer>>of())));
    }

    @Test
    void gatherOfCoroutinesStartsThemAsTasks() throws Exception {
        assertEquals(List.of("a", "b"), run(() -> Asyncio.gather(() -> "a", () -> "b")));
    }

    @Test
    void gatherThrowsTheFirstFailureAndLetsTheOthersRun() throws Exception { // test_one_exception
        run(() -> {
            Task<String> slow = Asyncio.createTask(() -> {
                Asyncio.sleep(ms(20));
                return "finished";
            });
            Task<String> failing = Asyncio.createTask(() -> {
                throw new ArithmeticException("first failure");
            });
            assertThrows(ArithmeticException.class, () -> Asyncio.gather(slow, failing));
            assertFalse(slow.done());
            assertEquals("finished", slow.await());
        });
    }

    @Test
    void gatherWithReturnExceptionsPutsFailuresInTheList() throws Exception { // test_return_exceptions
        ArithmeticException failure = new ArithmeticException("bad");
        List<Object> results = run(() -> {
            Task<String> ok = Asyncio.createTask(() -> "ok");
            Task<String> failing = Asyncio.createTask(() -> {
                throw failure;
            });
            Task<Void> cancelled = Asyncio.createTask(() -> Asyncio.sleep(FOREVER));
            cancelled.cancel();
            return Asyncio.gather(List.of(ok, failing, cancelled), true);
        });
        assertEquals("ok", results.get(0));
        assertSame(failure, results.get(1));
        assertInstanceOf(CancelledException.class, results.get(2));
    }

    @Test
    void cancellingTheGatheringTaskCancelsEveryChild() throws Exception { // test_cancel_gather_1
        run(() -> {
            Task<Void> a = Asyncio.createTask(() -> Asyncio.sleep(FOREVER));
            Task<Void> b = Asyncio.createTask(() -> Asyncio.sleep(FOREVER));
            Task<List<Void>> gathering = Asyncio.createTask(() -> Asyncio.gather(a, b));
            Asyncio.sleep(Duration.ZERO);
            gathering.cancel();
            assertThrows(CancelledException.class, gathering::await);
            assertTrue(gathering.cancelled() && a.cancelled() && b.cancelled());
        });
    }

    @Test
    void aChildCancelledElsewhereMakesGatherThrowWithoutCancellingTheAwaiter() throws Exception { // test_one_cancellation
        run(() -> {
            Task<Void> child = Asyncio.createTask(() -> Asyncio.sleep(FOREVER));
            Task<Void> sibling = Asyncio.createTask(() -> Asyncio.sleep(ms(1)));
            loop.callSoon(child::cancel);
            assertThrows(CancelledException.class, () -> Asyncio.gather(child, sibling));
            assertEquals(0, Asyncio.currentTask().orElseThrow().cancelling(), "nobody asked this task to stop");
            Asyncio.sleep(ms(1)); // and it goes on
        });
    }

    // ---- wait (named await)

    @Test
    void awaitFirstCompletedReturnsWhenOneIsDone() throws Exception { // test_wait_first_completed
        run(() -> {
            Task<String> fast = Asyncio.createTask(() -> "fast");
            Task<Void> slow = Asyncio.createTask(() -> Asyncio.sleep(FOREVER));
            DoneAndPending<Task<?>> result = Asyncio.wait(List.of(fast, slow), ReturnWhen.FIRST_COMPLETED);
            assertEquals(Set.of(fast), result.done());
            assertEquals(Set.of(slow), result.pending());
            assertFalse(slow.cancelled(), "await cancels nothing");
            slow.cancel();
        });
    }

    @Test
    void awaitFirstExceptionReturnsAtTheFirstFailure() throws Exception { // test_wait_first_exception
        run(() -> {
            Task<Void> failing = Asyncio.createTask(() -> {
                throw new ArithmeticException();
            });
            Task<Void> slow = Asyncio.createTask(() -> Asyncio.sleep(FOREVER));
            DoneAndPending<Task<Void>> result = Asyncio.wait(List.of(failing, slow), ReturnWhen.FIRST_EXCEPTION);
            assertEquals(Set.of(failing), result.done());
            assertEquals(Set.of(slow), result.pending());
            slow.cancel();
        });
    }

    @Test
    void awaitAllCompletedWaitsForEveryFuture() throws Exception { // test_wait
        run(() -> {
            Task<Integer> a = Asyncio.createTask(() -> {
                Asyncio.sleep(ms(10));
                return 1;
            });
            Task<Integer> b = Asyncio.createTask(() -> 2);
            DoneAndPending<Task<Integer>> result = Asyncio.wait(List.of(a, b), ReturnWhen.ALL_COMPLETED);
            assertEquals(Set.of(a, b), result.done());
            assertTrue(result.pending().isEmpty());
        });
    }

    @Test
    void awaitWithATimeoutReturnsWhatIsPendingWithoutThrowing() throws Exception { // test_wait_with_timeout
        run(() -> {
            Task<Void> slow = Asyncio.createTask(() -> Asyncio.sleep(FOREVER));
            DoneAndPending<Task<Void>> result = Asyncio.wait(List.of(slow), ReturnWhen.ALL_COMPLETED, ms(10));
            assertTrue(result.done().isEmpty());
            assertEquals(Set.of(slow), result.pending());
            slow.cancel();
        });
    }

    @Test
    void awaitOnNothingIsRejected() throws Exception { // test_wait_empty: ValueError
        run(() -> assertThrows(IllegalArgumentException.class,
                () -> Asyncio.wait(List.<Future<?>>of(), ReturnWhen.ALL_COMPLETED)));
    }

    // ---- waitFor

    @Test
    void waitForReturnsTheResultWhenInTime() throws Exception {
        assertEquals("quick", run(() -> Asyncio.waitFor(() -> "quick", ms(10_000))));
    }

    @Test
    void waitForTimesOutCancelsTheInnerTaskAndRaisesOnlyAfterItFinished() throws Exception { // test_wait_for_waits_for_task_cancellation
        List<String> order = new ArrayList<>();
        run(() -> {
            Task<Void> inner = Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(FOREVER);
                } finally {
                    Asyncio.sleep(ms(20)); // a slow clean-up that waitFor must wait for
                    order.add("inner finished");
                }
            });
            assertThrows(TimeoutException.class, () -> Asyncio.waitFor(inner, ms(10)));
            order.add("timeout raised");
            assertTrue(inner.cancelled());
        });
        assertEquals(List.of("inner finished", "timeout raised"), order);
    }

    @Test
    void cancellingWaitForCancelsTheInnerTask() throws Exception { // test_wait_for_cancellation_race_condition
        run(() -> {
            Task<Void> inner = Asyncio.createTask(() -> Asyncio.sleep(FOREVER));
            Task<Void> waiting = Asyncio.createTask(() -> Asyncio.waitFor(inner, FOREVER));
            Asyncio.sleep(Duration.ZERO);
            waiting.cancel();
            assertThrows(CancelledException.class, waiting::await);
            assertTrue(inner.cancelled());
        });
    }

    @Test
    void waitForWithZeroTimeoutReturnsADoneResult() throws Exception { // test_wait_for_timeout_less_then_0_or_0_future_done
        run(() -> {
            Future<String> done = loop.createFuture();
            done.setResult("ready");
            assertEquals("ready", Asyncio.waitFor(done, Duration.ZERO));
        });
    }

    @Test
    void waitForWithZeroTimeoutCancelsAPendingFutureAndTimesOut() throws Exception { // test_wait_for_timeout_less_then_0_or_0
        run(() -> {
            Task<Void> slow = Asyncio.createTask(() -> Asyncio.sleep(FOREVER));
            assertThrows(TimeoutException.class, () -> Asyncio.waitFor(slow, Duration.ZERO));
            assertTrue(slow.cancelled());
        });
    }

    // ---- asCompleted, shield

    @Test
    void asCompletedYieldsInCompletionOrder() throws Exception { // test_as_completed
        List<String> order = run(() -> {
            List<Task<String>> tasks = List.of(
                    Asyncio.createTask(() -> {
                        Asyncio.sleep(ms(30));
                        return "slow";
                    }),
                    Asyncio.createTask(() -> "fast"));
            List<String> seen = new ArrayList<>();
            for (Future<String> next : Asyncio.asCompleted(tasks)) {
                seen.add(next.await());
            }
            return seen;
        });
        assertEquals(List.of("fast", "slow"), order);
    }

    @Test
    void asCompletedTimesOutWhatIsNotDoneInTime() throws Exception { // test_as_completed_with_timeout
        run(() -> {
            Task<String> fast = Asyncio.createTask(() -> "fast");
            Task<Void> slow = Asyncio.createTask(() -> Asyncio.sleep(FOREVER));
            List<Future<Object>> ordered = Asyncio.asCompleted(List.of(fast, slow), ms(20));
            assertEquals("fast", ordered.get(0).await());
            assertThrows(TimeoutException.class, () -> ordered.get(1).await());
            slow.cancel();
        });
    }

    @Test
    void aNullTimeoutIsRejectedAndTheOverloadWithoutOneWaits() throws Exception {
        // The conventions: null is never a timeout; each wait has an overload without one.
        run(() -> {
            Task<String> task = Asyncio.createTask(() -> "done");
            List<Task<String>> tasks = List.of(task);
            assertThrows(NullPointerException.class, () -> Asyncio.waitFor(task, null));
            assertThrows(NullPointerException.class, () -> Asyncio.wait(tasks, ReturnWhen.ALL_COMPLETED, null));
            assertThrows(NullPointerException.class, () -> Asyncio.asCompleted(tasks, null));
            assertEquals(Set.of(task), Asyncio.wait(tasks, ReturnWhen.ALL_COMPLETED).done());
            assertEquals("done", Asyncio.asCompleted(tasks).get(0).await());
        });
    }

    @Test
    void asCompletedSkipsASlotItsCallerCancelled() throws Exception {
        // Slot 0's waitFor times out and cancels the slot: the first outcome goes to slot 1,
        // lost to nobody.
        List<Object> got = run(() -> {
            Event go = new Event();
            Task<String> first = Asyncio.createTask(() -> {
                go.await();
                return "one";
            });
            Task<Void> never = Asyncio.createTask(() -> Asyncio.sleep(FOREVER));
            List<Future<Object>> ordered = Asyncio.asCompleted(List.of(first, never), PATIENCE);
            List<Object> out = new ArrayList<>();
            try {
                Asyncio.waitFor(ordered.get(0), ms(1));
            } catch (TimeoutException e) {
                out.add("slot 0 gave up");
            }
            go.set();
            out.add(ordered.get(1).await());
            never.cancel();
            return out;
        });
        assertEquals(List.of("slot 0 gave up", "one"), got);
    }

    @Test
    void asCompletedTimesOutPastASlotItsCallerCancelled() throws Exception {
        run(() -> {
            Task<Void> a = Asyncio.createTask(() -> Asyncio.sleep(FOREVER));
            Task<Void> b = Asyncio.createTask(() -> Asyncio.sleep(FOREVER));
            List<Future<Object>> ordered = Asyncio.asCompleted(List.of(a, b), ms(20));
            ordered.get(0).cancel();
            assertThrows(TimeoutException.class, () -> ordered.get(1).await()); // not a hang
            a.cancel();
            b.cancel();
        });
    }

    @Test
    void shieldKeepsTheInnerTaskRunningWhenTheAwaiterIsCancelled() throws Exception { // test_shield_cancel_outer
        run(() -> {
            Task<String> inner = Asyncio.createTask(() -> {
                Asyncio.sleep(ms(20));
                return "survived";
            });
            Task<String> outer = Asyncio.createTask(() -> Asyncio.shield(inner).await());
            Asyncio.sleep(Duration.ZERO);
            outer.cancel();
            assertThrows(CancelledException.class, outer::await);
            assertFalse(inner.cancelled());
            assertEquals("survived", inner.await());
        });
    }

    @Test
    void shieldPassesTheResultThrough() throws Exception { // test_shield_result
        assertEquals(7, run(() -> Asyncio.shield(Asyncio.createTask(() -> 7)).await()));
    }

    @Test
    void runInExecutorRethrowsTheFunctionsException() {
        assertThrows(ArithmeticException.class, () -> run(() -> loop.runInExecutor(null, () -> {
            throw new ArithmeticException();
        }).await()));
    }

    @Test
    void exceptionOfAResultIsNull() throws Exception {
        run(() -> {
            Task<Integer> task = Asyncio.createTask(() -> 1);
            task.await();
            assertNull(task.exception());
        });
    }
}

package dev.pyloom.asyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import dev.pyloom.asyncio.locks.Event;

/**
 * "Task exception was never retrieved": a failure nobody takes is reported to the loop's exception
 * handler, once, when its future becomes unreachable or its loop closes (Python's
 * {@code Future.__del__}; CPython's {@code test_tasks...test_exception_never_retrieved} family), and
 * never one that was retrieved, by the program or by pyloom's own consumers.
 */
abstract class NeverRetrievedContract extends LoopContract {

    /** What reached the loop's exception handler. */
    final List<ExceptionContext> reports = new CopyOnWriteArrayList<>();

    @BeforeEach
    void captureTheExceptionHandler() {
        loop.setExceptionHandler((l, context) -> reports.add(context));
    }

    @Test
    void aFailureNobodyRetrievesIsReportedToTheExceptionHandlerWhenTheLoopCloses() throws Exception {
        List<Task<Void>> kept = new ArrayList<>(); // reachable, so only the closing reports it
        run(() -> {
            kept.add(Asyncio.createTask(() -> {
                Asyncio.sleep(Duration.ZERO);
                throw new IllegalStateException("fire and forget");
            }, "forgotten"));
            Asyncio.sleep(Duration.ZERO);
            Asyncio.sleep(Duration.ZERO);
        });
        assertEquals(List.of(), reports);
        loop.close();
        assertEquals(1, reports.size(), String.valueOf(reports));
        assertTrue(reports.get(0).message().startsWith("Task exception was never retrieved"), reports.get(0).message());
        assertTrue(reports.get(0).message().contains("forgotten"), reports.get(0).message());
        assertEquals("fire and forget", reports.get(0).exception().getMessage());
    }

    @Test
    void aFailureNobodyRetrievesIsReportedOnTheLoopOnceItsTaskIsUnreachable() throws Exception {
        List<EventLoop> reportedOn = new CopyOnWriteArrayList<>();
        loop.setExceptionHandler((l, context) -> {
            reports.add(context);
            reportedOn.add(EventLoop.runningOrNull());
        });
        run(() -> {
            Asyncio.createTask(() -> {
                throw new IllegalStateException("fire and forget");
            });
            Asyncio.sleep(Duration.ZERO);
            try (Timeout bound = Asyncio.timeout(PATIENCE)) {
                while (reports.isEmpty()) {
                    System.gc(); // the task is done and nothing refers to it
                    Asyncio.sleep(ms(10));
                }
            }
        });
        assertEquals(1, reports.size(), String.valueOf(reports));
        assertEquals("fire and forget", reports.get(0).exception().getMessage());
        assertSame(loop, reportedOn.get(0), "the handler runs on the loop, holding its turn");
        loop.close();
        assertEquals(1, reports.size(), "reported once");
    }

    @Test
    void aRetrievedFailureIsNeverReported() throws Exception {
        List<Future<?>> kept = new ArrayList<>();
        run(() -> {
            Coroutine<Void> fail = () -> {
                throw new IllegalStateException("seen");
            };
            Task<Void> polled = Asyncio.createTask(fail);
            Asyncio.sleep(Duration.ZERO);
            Asyncio.sleep(Duration.ZERO);
            assertTrue(polled.exception() instanceof IllegalStateException); // retrieved late, after awaits
            Task<Void> resulted = Asyncio.createTask(fail);
            Asyncio.sleep(Duration.ZERO);
            assertThrows(IllegalStateException.class, resulted::result);
            assertThrows(IllegalStateException.class, Asyncio.createTask(fail)::await);
            assertThrows(IllegalStateException.class, () -> Asyncio.gather(Asyncio.createTask(fail)));
            Future<Void> future = loop.createFuture();
            future.setException(new java.io.IOException("seen"));
            assertThrows(java.io.IOException.class, future::result);
            kept.addAll(List.of(polled, resulted, future));
        });
        loop.close();
        assertEquals(List.of(), reports);
    }

    @Test
    void aChildThatFailsAfterItsGatherFailedIsNotReported() throws Exception { // _GatheringFuture: fut.exception() once outer is done
        run(() -> {
            Task<Void> first = Asyncio.createTask(() -> {
                throw new IllegalStateException("first");
            });
            Event go = new Event();
            Task<Void> second = Asyncio.createTask(() -> {
                go.await();
                throw new IllegalStateException("second");
            });
            assertThrows(IllegalStateException.class, () -> Asyncio.gather(first, second));
            go.set();
            while (!second.done()) {
                Asyncio.sleep(Duration.ZERO);
            }
        });
        loop.close();
        assertEquals(List.of(), reports);
    }

    @Test
    void asCompletedSlotsLeftAfterItsTimeoutAreNotReported() throws Exception {
        run(() -> {
            List<Future<Object>> slots = Asyncio.asCompleted(List.of(loop.createFuture(), loop.createFuture()), ms(1));
            assertThrows(TimeoutException.class, slots.get(0)::await); // the usual loop stops at the first timeout
        });
        loop.close();
        assertEquals(List.of(), reports);
    }

    @Test
    void anExceptionWhoseTextCannotBeFormedStillEndsItsTaskAndIsReported() throws Exception {
        Task<?>[] kept = {null};
        RuntimeException failure = run(() -> {
            Task<Void> task = Asyncio.createTask(() -> {
                throw new Unprintable();
            });
            kept[0] = task;
            return assertThrows(Unprintable.class, () -> {
                try (Timeout bound = Asyncio.timeout(PATIENCE)) {
                    task.await();
                }
            });
        });
        assertTrue(failure instanceof Unprintable);
        Future<Void> unread = loop.createFuture();
        unread.setException(new Unprintable());
        loop.close();
        assertEquals(1, reports.size(), String.valueOf(reports.size()));
        assertTrue(reports.get(0).exception() instanceof Unprintable);
    }

    /** An exception whose message, and so toString(), throws. */
    private static final class Unprintable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        @Override
        public String getMessage() {
            throw new UnsupportedOperationException("no text");
        }
    }

    @Test
    void aReportQueuedAsTheLoopStopsIsMadeWhenItCloses() throws Exception {
        // The Cleaner finds the task unreachable while the loop runs, and queues the report on the
        // loop; the loop stops before running it. The loop's closing must still report it.
        FailedOutcome[] outcome = {null};
        run(() -> {
            Task<Void> task = Asyncio.createTask(() -> {
                throw new IllegalStateException("found as the loop stopped");
            });
            Asyncio.sleep(Duration.ZERO);
            outcome[0] = task.failedOutcome();
        });
        assertTrue(outcome[0] != null);
        loop.runUntilComplete(loop.createTask(() -> {
            outcome[0].run(); // what the Cleaner's thread does; the report goes to the inbox
            loop.stop();      // and the loop stops before its next turn runs it
            return null;
        }));
        assertEquals(List.of(), reports);
        loop.close();
        assertEquals(1, reports.size(), String.valueOf(reports));
    }

    @Test
    void aHandlerThatThrowsAnErrorAtCloseLeavesTheLoopClosed() throws Exception {
        loop.setExceptionHandler((l, context) -> {
            throw new AssertionError("handler failed");
        });
        List<Task<Void>> kept = new ArrayList<>();
        run(() -> {
            kept.add(Asyncio.createTask(() -> {
                throw new IllegalStateException("unread");
            }));
            Asyncio.sleep(Duration.ZERO);
        });
        assertThrows(AssertionError.class, loop::close);
        assertTrue(loop.isClosed());
        java.lang.ref.Reference.reachabilityFence(kept);
    }

}

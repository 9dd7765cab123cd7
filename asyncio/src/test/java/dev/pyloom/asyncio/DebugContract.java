package dev.pyloom.asyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Debug mode: slow steps, reported through the {@code dev.pyloom.asyncio} logger (read from the
 * log records, captured with a {@code java.util.logging} handler), and exceptions never retrieved,
 * reported early to the loop's exception handler (CPython's {@code test_asyncio} debug tests:
 * {@code test_run_once_logging}, {@code test_task_exception_never_retrieved}...).
 */
abstract class DebugContract extends LoopContract {

    private static final Logger JUL = Logger.getLogger("dev.pyloom.asyncio");

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void captureTheLog() {
        JUL.addHandler(capture);
        JUL.setUseParentHandlers(false); // keep the expected reports out of the build's output
        loop.setDebug(true);
    }

    @AfterEach
    void stopCapturing() {
        JUL.removeHandler(capture);
        JUL.setUseParentHandlers(true);
    }

    /** What reached the loop's exception handler: where failures never retrieved are reported. */
    private final List<ExceptionContext> handled = new CopyOnWriteArrayList<>();

    @BeforeEach
    void captureTheExceptionHandler() {
        loop.setExceptionHandler((l, context) -> handled.add(context));
    }

    private List<String> messages(String containing) {
        return java.util.stream.Stream.concat(records.stream().map(LogRecord::getMessage),
                handled.stream().map(ExceptionContext::message)).filter(m -> m.contains(containing)).toList();
    }

    /** Holds the loop in a JDK call, the mistake debug mode is for. (Not a synchronisation: the behaviour under test.) */
    private static void blockTheLoop() throws InterruptedException {
        Thread.sleep(500);
    }

    // =====================================================================================
    // Slow steps

    @Test
    void aCoroutineHoldingTheLoopIsReportedWithItsNameAndStack() throws Exception {
        // The threshold is well under the 500 ms the task blocks, and well over what a busy
        // machine's ordinary stall (a GC, a descheduled thread) takes: other steps may be
        // reported too, so only the reports that name the task are counted.
        loop.setSlowCallbackDuration(Duration.ofMillis(200));
        run(() -> {
            Asyncio.createTask(() -> {
                blockTheLoop();
                Asyncio.sleep(Duration.ZERO);
            }, "sleepy").await();
        });
        List<LogRecord> reports = records.stream()
                .filter(r -> r.getMessage().contains("Executing") && r.getMessage().contains("sleepy")).toList();
        assertEquals(1, reports.size(), records.stream().map(LogRecord::getMessage).toList().toString());
        String report = reports.get(0).getMessage();
        assertTrue(report.matches("(?s).*took \\d+\\.\\d{3} seconds.*"), report);
        assertTrue(report.contains("java.lang.Thread.sleep"), "the stack shows where it blocked: " + report);
        assertTrue(report.contains("blockTheLoop"), report);
        assertEquals(java.util.logging.Level.WARNING, reports.get(0).getLevel());
    }

    @Test
    void aSlowCallbackIsReportedToo() throws Exception {
        loop.setSlowCallbackDuration(Duration.ofMillis(200));
        run(() -> {
            Future<Void> done = loop.createFuture();
            loop.callSoon(() -> {
                try {
                    blockTheLoop();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                done.setResult(null);
            });
            done.await();
        });
        List<String> reports = messages("Executing Handle").stream().filter(m -> m.contains("blockTheLoop")).toList();
        assertEquals(1, reports.size(), messages("Executing").toString());
    }

    @Test
    void stepsUnderTheThresholdAreNotReported() throws Exception {
        loop.setSlowCallbackDuration(Duration.ofSeconds(30));
        run(() -> {
            for (int i = 0; i < 100; i++) {
                Asyncio.sleep(Duration.ZERO);
            }
        });
        assertEquals(List.of(), messages("Executing"));
    }

    @Test
    void aNegativeThresholdIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> loop.setSlowCallbackDuration(Duration.ofMillis(-1)));
        assertEquals(Duration.ofMillis(100), new EventLoop(strategy()).getSlowCallbackDuration());
    }

    // =====================================================================================
    // Exceptions never retrieved

    @Test
    void aTaskThatFailsWithNobodyWaitingIsReportedAsItFinishes() throws Exception {
        run(() -> {
            Asyncio.createTask(() -> {
                throw new IllegalStateException("boom");
            }, "doomed");
            Asyncio.sleep(Duration.ZERO); // the task runs and fails
            Asyncio.sleep(Duration.ZERO); // the check queued behind it runs
            // Reported here, while the loop still runs: not at garbage collection, not at close.
            assertEquals(1, messages("Task exception was never retrieved").size());
        });
        ExceptionContext report = handled.stream()
                .filter(c -> c.message().contains("Task exception was never retrieved")).findFirst().orElseThrow();
        assertTrue(report.future().toString().contains("doomed"), String.valueOf(report.future()));
        assertEquals("boom", report.exception().getMessage());
    }

    @Test
    void aFailedFutureNobodyRetrievesIsReported() throws Exception {
        run(() -> {
            loop.createFuture().setException(new java.io.IOException("lost"));
            Asyncio.sleep(Duration.ZERO);
        });
        assertEquals(1, messages("Future exception was never retrieved").size());
    }

    @Test
    void failuresSomeoneTakesChargeOfAreNotReported() throws Exception {
        run(() -> {
            Coroutine<Void> fail = () -> {
                throw new IllegalStateException("expected");
            };
            // awaited while it runs
            Task<Void> awaited = Asyncio.createTask(fail);
            assertThrows(IllegalStateException.class, awaited::await);
            // gathered
            assertThrows(IllegalStateException.class, () -> Asyncio.gather(Asyncio.createTask(fail)));
            // a TaskGroup child
            assertThrows(ExceptionGroup.class, () -> {
                try (TaskGroup group = new TaskGroup()) {
                    group.createTask(fail);
                }
            });
            // Python's wait(), then result()
            Task<Void> waited = Asyncio.createTask(fail);
            Asyncio.wait(List.of(waited), Asyncio.ReturnWhen.ALL_COMPLETED);
            assertThrows(IllegalStateException.class, waited::result);
            // a done callback that looks
            Asyncio.createTask(fail).addDoneCallback(Future::exception);
            // retrieved in the same turn, before the check
            Task<Void> polled = Asyncio.createTask(fail);
            loop.callSoon(() -> {});
            while (!polled.done()) {
                Asyncio.sleep(Duration.ZERO);
            }
            polled.exception();
            // cancelled, which is not a failure
            Task<Void> cancelled = Asyncio.createTask(() -> Asyncio.sleep(FOREVER));
            Asyncio.sleep(Duration.ZERO);
            cancelled.cancel();
            for (int i = 0; i < 5; i++) {
                Asyncio.sleep(Duration.ZERO);
            }
        });
        loop.close(); // nor later, when the loop closes
        assertEquals(List.of(), messages("never retrieved"));
    }

    @Test
    void withDebugModeOffNoStepIsReportedAndAFailureOnlyWhenItsLoopCloses() throws Exception {
        loop.setDebug(false);
        loop.setSlowCallbackDuration(Duration.ZERO);
        List<Task<Void>> kept = new java.util.ArrayList<>(); // reachable: only the loop's closing reports it
        run(() -> {
            kept.add(Asyncio.createTask(() -> {
                throw new IllegalStateException("reported at close");
            }));
            Asyncio.sleep(Duration.ZERO);
            Asyncio.sleep(Duration.ZERO);
        });
        assertEquals(List.of(), records.stream().map(LogRecord::getMessage).toList());
        assertEquals(List.of(), messages("never retrieved"));
        loop.close();
        assertEquals(1, messages("Task exception was never retrieved").size());
    }

    @Test
    void debugModeIsOffByDefaultAndOnByTheSystemProperty() {
        String before = System.getProperty(EventLoop.DEBUG_PROPERTY);
        try {
            System.clearProperty(EventLoop.DEBUG_PROPERTY);
            assertFalse(new EventLoop(strategy()).getDebug());
            System.setProperty(EventLoop.DEBUG_PROPERTY, "true");
            assertTrue(new EventLoop(strategy()).getDebug());
        } finally {
            if (before == null) {
                System.clearProperty(EventLoop.DEBUG_PROPERTY);
            } else {
                System.setProperty(EventLoop.DEBUG_PROPERTY, before);
            }
        }
    }
}

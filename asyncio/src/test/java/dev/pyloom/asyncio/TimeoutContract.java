package dev.pyloom.asyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** {@link Timeout} scopes: CPython's {@code test_timeouts.TimeoutTests}. */
abstract class TimeoutContract extends LoopContract {

    @Test
    void aBlockThatFinishesInTimeRaisesNothing() throws Exception { // test_timeout_not_triggered
        boolean expired = run(() -> {
            Timeout scope;
            try (Timeout t = Asyncio.timeout(ms(10_000))) {
                scope = t;
                Asyncio.sleep(ms(1));
            }
            return scope.expired();
        });
        assertFalse(expired);
    }

    @Test
    void anExpiredScopeRaisesTimeoutException() throws Exception { // test_timeout_basic
        boolean expired = run(() -> {
            Timeout[] scope = new Timeout[1];
            assertThrows(TimeoutException.class, () -> {
                try (Timeout t = Asyncio.timeout(ms(10))) {
                    scope[0] = t;
                    Asyncio.sleep(FOREVER);
                }
            });
            return scope[0].expired();
        });
        assertTrue(expired);
    }

    @Test
    void aTaskIsNotLeftCancelledAfterItsScopeExpired() throws Exception { // test_timeout_taskgroup... uncancel
        int cancelling = run(() -> {
            try (Timeout t = Asyncio.timeout(ms(5))) {
                Asyncio.sleep(FOREVER);
            } catch (TimeoutException expected) {
                // the scope handled its own cancellation
            }
            Asyncio.sleep(ms(1)); // and nothing is thrown here
            return Asyncio.currentTask().orElseThrow().cancelling();
        });
        assertEquals(0, cancelling);
    }

    @Test
    void finallyBlocksRunWhenTheScopeExpires() throws Exception {
        List<String> order = new ArrayList<>();
        run(() -> {
            try (Timeout t = Asyncio.timeout(ms(5))) {
                try {
                    Asyncio.sleep(FOREVER);
                } finally {
                    order.add("finally");
                }
            } catch (TimeoutException e) {
                order.add("timeout");
            }
        });
        assertEquals(List.of("finally", "timeout"), order);
    }

    @Test
    void onlyTheExpiredOuterScopeRaisesWhenTheInnerOneDidNotExpire() throws Exception { // test_nested_timeouts_loop_busy
        Timeout[] scopes = new Timeout[2];
        List<String> reached = new ArrayList<>();
        run(() -> {
            try (Timeout outer = Asyncio.timeout(ms(10))) {
                scopes[0] = outer;
                try (Timeout inner = Asyncio.timeout(FOREVER)) {
                    scopes[1] = inner;
                    Asyncio.sleep(FOREVER);
                }
                reached.add("after the inner block");
            } catch (TimeoutException e) {
                reached.add("outer timed out");
            }
        });
        assertEquals(List.of("outer timed out"), reached);
        assertTrue(scopes[0].expired());
        assertFalse(scopes[1].expired());
    }

    @Test
    void onlyTheExpiredInnerScopeRaisesWhenTheOuterOneDidNotExpire() throws Exception { // test_nested_timeouts
        Timeout[] scopes = new Timeout[2];
        List<String> reached = new ArrayList<>();
        run(() -> {
            try (Timeout outer = Asyncio.timeout(FOREVER)) {
                scopes[0] = outer;
                try (Timeout inner = Asyncio.timeout(ms(10))) {
                    scopes[1] = inner;
                    Asyncio.sleep(FOREVER);
                } catch (TimeoutException e) {
                    reached.add("inner timed out");
                }
                Asyncio.sleep(ms(1));
                reached.add("outer block goes on");
            }
        });
        assertEquals(List.of("inner timed out", "outer block goes on"), reached);
        assertFalse(scopes[0].expired());
        assertTrue(scopes[1].expired());
    }

    @Test
    void whenBothScopesExpireTheOuterOneRaises() throws Exception { // test_nested_timeouts_concurrent
        List<String> reached = new ArrayList<>();
        run(() -> {
            try (Timeout outer = Asyncio.timeout(ms(5))) {
                try (Timeout inner = Asyncio.timeout(ms(5))) {
                    LockSupportPause.blockFor(ms(20)); // both deadlines pass while the loop is held
                    Asyncio.sleep(FOREVER);
                }
                reached.add("after the inner block");
            } catch (TimeoutException e) {
                reached.add("outer timed out");
            }
        });
        assertEquals(List.of("outer timed out"), reached);
    }

    @Test
    void anExplicitCancelWinsOverAnExpiry() throws Exception { // test_timeout_double_cancel... cancel wins
        run(() -> {
            Task<Void> task = Asyncio.createTask(() -> {
                try (Timeout t = Asyncio.timeout(ms(5))) {
                    Asyncio.currentTask().orElseThrow().cancel();
                    LockSupportPause.blockFor(ms(20)); // the deadline passes too
                    Asyncio.sleep(FOREVER);
                }
            });
            assertThrows(CancelledException.class, task::await);
            assertTrue(task.cancelled());
        });
    }

    @Test
    void enteringAScopeTwiceThrows() throws Exception { // test_timeout_in_use / already entered
        run(() -> {
            Timeout scope = new Timeout(null);
            try (Timeout t = scope.enter()) {
                assertThrows(IllegalStateException.class, scope::enter);
            }
            assertThrows(IllegalStateException.class, scope::enter);
        });
    }

    @Test
    void rescheduleMovesTheDeadline() throws Exception { // test_reschedule
        boolean expired = run(() -> {
            Timeout[] scope = new Timeout[1];
            try (Timeout t = Asyncio.timeout(null)) {
                scope[0] = t;
                assertTrue(t.when().isEmpty());
                Duration deadline = loop.time().plus(ms(5));
                t.reschedule(deadline);
                assertEquals(deadline, t.when().orElseThrow());
                Asyncio.sleep(FOREVER);
            } catch (TimeoutException expected) {
                // the new deadline passed
            }
            return scope[0].expired();
        });
        assertTrue(expired);
    }

    @Test
    void aScopeWithoutDeadlineNeverExpires() throws Exception { // test_timeout_disabled
        boolean expired = run(() -> {
            try (Timeout t = Asyncio.timeout(null)) {
                Asyncio.sleep(ms(5));
                return t.expired();
            }
        });
        assertFalse(expired);
    }

    @Test
    void aDeadlineInThePastExpiresAtTheFirstAwait() throws Exception { // test_timeout_at_in_the_past
        run(() -> assertThrows(TimeoutException.class, () -> {
            try (Timeout t = Asyncio.timeoutAt(loop.time().minus(ms(100)))) {
                Asyncio.sleep(FOREVER);
            }
        }));
    }

    @Test
    void aZeroTimeoutExpiresAtTheNextAwaitEvenAZeroSleep() throws Exception { // test_timeout_zero
        // Python schedules an expiry that is due already with call_soon, ahead of the task's own
        // wake-up from sleep(0), so that very await raises.
        run(() -> assertThrows(TimeoutException.class, () -> {
            try (Timeout t = Asyncio.timeout(Duration.ZERO)) {
                Asyncio.sleep(Duration.ZERO);
            }
        }));
    }

    @Test
    void aDeadlineInThePastExpiresAtAZeroSleep() throws Exception {
        run(() -> assertThrows(TimeoutException.class, () -> {
            try (Timeout t = Asyncio.timeoutAt(loop.time().minus(ms(100)))) {
                Asyncio.sleep(Duration.ZERO);
            }
        }));
    }

    @Test
    void reschedulingIntoThePastExpiresAtTheNextAwait() throws Exception { // test_reschedule ... when <= loop.time()
        run(() -> assertThrows(TimeoutException.class, () -> {
            try (Timeout t = Asyncio.timeout(FOREVER)) {
                t.reschedule(loop.time());
                Asyncio.sleep(Duration.ZERO);
            }
        }));
    }

    @Test
    void aNegativeTimeoutExpiresAtTheNextAwait() throws Exception {
        run(() -> assertThrows(TimeoutException.class, () -> {
            try (Timeout t = Asyncio.timeout(ms(-5))) {
                Asyncio.sleep(Duration.ZERO);
            }
        }));
    }

    @Test
    void aRetryLoopThatAsksTheOuterScopeEndsAtTheOuterDeadline() throws Exception {
        // The README's idiom: an inner catch (TimeoutException) also sees the outer expiry, so
        // it asks the outer scope, as Python's inner code never sees the outer TimeoutError.
        int[] attempts = {0};
        run(() -> assertThrows(TimeoutException.class, () -> {
            try (Timeout overall = Asyncio.timeout(ms(30))) {
                while (true) {
                    try {
                        attempts[0]++;
                        Asyncio.waitFor(() -> {
                            Asyncio.sleep(FOREVER);
                            return null;
                        }, ms(5));
                    } catch (TimeoutException e) {
                        if (overall.expired()) {
                            throw e;
                        }
                    }
                }
            }
        }));
        assertTrue(attempts[0] >= 1);
    }

    @Test
    void aBlockThatFinishesWithoutAwaitingAfterTheDeadlineCompletesNormally() throws Exception { // gh-... 3.13 uncancel
        String result = run(() -> {
            try (Timeout t = Asyncio.timeout(ms(1))) {
                LockSupportPause.blockFor(ms(10)); // the deadline passes, but no await point follows
            }
            Asyncio.sleep(ms(1)); // and no stray cancellation arrives here
            return "completed";
        });
        assertEquals("completed", result);
    }

    @Test
    void aTimeoutOutsideACoroutineIsRejected() {
        assertThrows(IllegalStateException.class, () -> Asyncio.timeout(ms(1)));
    }

    /** A blocking call that holds the loop, so that deadlines pass without an await point. */
    static final class LockSupportPause {
        static void blockFor(Duration d) {
            long end = System.nanoTime() + d.toNanos();
            long left;
            while ((left = end - System.nanoTime()) > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(left);
            }
        }
    }
}

package dev.pyloom.asyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Nested {@link TaskGroup}s and {@link Timeout}s, with an outside {@code cancel()} arriving after
 * {@code k} steps of the parent, against what CPython 3.11 prints for the same programs (each
 * program's Python is in its comment). The outcome is how the task ends: "cancelled", or
 * "raises" and the exception, groups with their members. Found by a differential run of random
 * programs against CPython; these are the ones that once differed.
 */
abstract class TaskGroupAgainstCPythonContract extends LoopContract {

    private static void yields(int n) {
        for (int i = 0; i < n; i++) {
            Asyncio.sleep(Duration.ZERO);
        }
    }

    private static Void fail(String message) {
        throw new IllegalArgumentException(message);
    }

    private static String describe(Throwable e) {
        if (e instanceof ExceptionGroup group) {
            return "ExceptionGroup[" + String.join(", ", group.exceptions().stream()
                    .map(TaskGroupAgainstCPythonContract::describe).toList()) + "]";
        }
        String type = e instanceof TimeoutException ? "TimeoutError"
                : e instanceof IllegalArgumentException ? "ValueError" : e.getClass().getSimpleName();
        return type + "(" + (e instanceof TimeoutException ? "" : e.getMessage()) + ")";
    }

    /** Runs {@code body} as a task, cancels it after {@code cancelAfter} steps (-1: never), and says how it ended. */
    private String outcome(VoidCoroutine body, int cancelAfter) throws Exception {
        return run(() -> {
            Task<Void> task = Asyncio.createTask(body);
            if (cancelAfter >= 0) {
                yields(cancelAfter);
                task.cancel();
            }
            Asyncio.DoneAndPending<Task<Void>> settled = Asyncio.wait(List.of(task), Asyncio.ReturnWhen.ALL_COMPLETED, PATIENCE);
            if (!settled.pending().isEmpty()) {
                task.cancel();
                return "hung";
            }
            if (task.cancelled()) {
                return "cancelled";
            }
            Throwable failure = task.exception();
            return failure == null ? "ok" : "raises " + describe(failure);
        });
    }

    /*
     * async with asyncio.TaskGroup() as g:
     *     g.create_task(fail("c1"))
     *     g.create_task(asyncio.sleep(FOREVER))
     *     await asyncio.sleep(FOREVER)
     */
    @ParameterizedTest(name = "cancel after {0} steps")
    @CsvSource(delimiter = ';', value = {
        "0; cancelled",
        "1; raises ExceptionGroup[ValueError(c1)]",
        "2; raises ExceptionGroup[ValueError(c1)]",
        "3; raises ExceptionGroup[ValueError(c1)]",
        "4; raises ExceptionGroup[ValueError(c1)]",
        "5; raises ExceptionGroup[ValueError(c1)]",
        "6; raises ExceptionGroup[ValueError(c1)]"})
    void aGroupWhoseChildFailedCancelledFromOutsideWhileItCloses(int k, String python) throws Exception {
        assertEquals(python, outcome(() -> {
            try (TaskGroup g = new TaskGroup()) {
                g.createTask(() -> fail("c1"));
                g.createTask(() -> Asyncio.sleep(FOREVER));
                Asyncio.sleep(FOREVER);
            }
        }, k));
    }

    /*
     * async with asyncio.TaskGroup() as g1:
     *     g1.create_task(fail("c1"))
     *     async with asyncio.TaskGroup() as g2:
     *         async def c2(): await yields(k); raise ValueError("c2")
     *         g2.create_task(c2())
     *         async with asyncio.TaskGroup() as g3:
     *             g3.create_task(asyncio.sleep(FOREVER))
     *             await asyncio.sleep(FOREVER)
     */
    @ParameterizedTest(name = "the middle child fails after {0} steps")
    @CsvSource(delimiter = ';', value = {
        "0; raises ExceptionGroup[ValueError(c1), ExceptionGroup[ValueError(c2)]]",
        "1; raises ExceptionGroup[ValueError(c1), ExceptionGroup[ValueError(c2)]]",
        "2; raises ExceptionGroup[ValueError(c1), ExceptionGroup[ValueError(c2)]]",
        "3; raises ExceptionGroup[ValueError(c1), ExceptionGroup[ValueError(c2)]]",
        "4; raises ExceptionGroup[ValueError(c1), ExceptionGroup[ValueError(c2)]]"})
    void threeGroupsWhoseMiddleChildFailsWhileTheOuterFailureStopsThem(int k, String python) throws Exception {
        assertEquals(python, outcome(() -> {
            try (TaskGroup g1 = new TaskGroup()) {
                g1.createTask(() -> fail("c1"));
                try (TaskGroup g2 = new TaskGroup()) {
                    g2.createTask(() -> {
                        yields(k);
                        return fail("c2");
                    });
                    try (TaskGroup g3 = new TaskGroup()) {
                        g3.createTask(() -> Asyncio.sleep(FOREVER));
                        Asyncio.sleep(FOREVER);
                    }
                }
            }
        }, -1));
    }

    /*
     * async with asyncio.timeout(0):
     *     async with asyncio.TaskGroup() as g:
     *         g.create_task(asyncio.sleep(FOREVER))
     *         await asyncio.sleep(FOREVER)
     */
    @ParameterizedTest(name = "cancel after {0} steps")
    @CsvSource(delimiter = ';', value = {
        "0; cancelled",
        "1; cancelled",
        "2; cancelled",
        "3; cancelled",
        "4; cancelled",
        "5; cancelled",
        "6; raises TimeoutError()"})
    void anExplicitCancelWinsOverAnExpiryUntilTheScopeHasEnded(int k, String python) throws Exception {
        assertEquals(python, outcome(() -> {
            try (Timeout t = Asyncio.timeout(Duration.ZERO)) {
                try (TaskGroup g = new TaskGroup()) {
                    g.createTask(() -> Asyncio.sleep(FOREVER));
                    Asyncio.sleep(FOREVER);
                }
            }
        }, k));
    }

    /*
     * async with asyncio.TaskGroup() as g1:
     *     g1.create_task(c1())            # await yields(1); raise ValueError("c1")
     *     async with asyncio.TaskGroup() as g2:
     *         g2.create_task(asyncio.sleep(FOREVER))
     *         await yields(2)
     */
    @ParameterizedTest(name = "cancel after {0} steps")
    @CsvSource(delimiter = ';', value = {
        "0; cancelled",
        "1; raises ExceptionGroup[ValueError(c1)]",
        "2; raises ExceptionGroup[ValueError(c1)]",
        "3; raises ExceptionGroup[ValueError(c1)]",
        "4; raises ExceptionGroup[ValueError(c1)]"})
    void anOuterChildsFailureIsKeptWhenACancellationStopsTheInnerGroup(int k, String python) throws Exception {
        assertEquals(python, outcome(() -> {
            try (TaskGroup g1 = new TaskGroup()) {
                g1.createTask(() -> {
                    yields(1);
                    return fail("c1");
                });
                try (TaskGroup g2 = new TaskGroup()) {
                    g2.createTask(() -> Asyncio.sleep(FOREVER));
                    yields(2);
                }
            }
        }, k));
    }

    /*
     * async with asyncio.timeout(0):
     *     async with asyncio.TaskGroup() as g1:
     *         g1.create_task(fail("c1"))
     *         async with asyncio.TaskGroup() as g2:
     *             g2.create_task(asyncio.sleep(FOREVER))
     *             await asyncio.sleep(FOREVER)
     */
    @org.junit.jupiter.api.Test
    void anOuterChildsFailureIsKeptWhenAnExpiryStopsTheInnerGroup() throws Exception {
        assertEquals("raises ExceptionGroup[ValueError(c1)]", outcome(() -> {
            try (Timeout t = Asyncio.timeout(Duration.ZERO)) {
                try (TaskGroup g1 = new TaskGroup()) {
                    g1.createTask(() -> fail("c1"));
                    try (TaskGroup g2 = new TaskGroup()) {
                        g2.createTask(() -> Asyncio.sleep(FOREVER));
                        Asyncio.sleep(FOREVER);
                    }
                }
            }
        }, -1));
    }

    /*
     * async with asyncio.TaskGroup() as g1:
     *     g1.create_task(fail("c1"))
     *     async with asyncio.timeout(0):
     *         async with asyncio.TaskGroup() as g3:
     *             g3.create_task(ret())
     *             await asyncio.sleep(0)
     */
    @org.junit.jupiter.api.Test
    void anOuterGroupsFailureWinsOverAnInnerExpiryThatStoppedAnInnerGroup() throws Exception {
        assertEquals("raises ExceptionGroup[ValueError(c1)]", outcome(() -> {
            try (TaskGroup g1 = new TaskGroup()) {
                g1.createTask(() -> fail("c1"));
                try (Timeout t2 = Asyncio.timeout(Duration.ZERO)) {
                    try (TaskGroup g3 = new TaskGroup()) {
                        g3.createTask(() -> null);
                        Asyncio.sleep(Duration.ZERO);
                    }
                }
            }
        }, -1));
    }

    /*
     * async with asyncio.TaskGroup() as g1:
     *     g1.create_task(c1())            # await yields(1); raise ValueError("c1")
     *     async with asyncio.TaskGroup() as g2:
     *         g2.create_task(fail("c2"))
     */
    @ParameterizedTest(name = "cancel after {0} steps")
    @CsvSource(delimiter = ';', value = {
        "1; raises ExceptionGroup[ValueError(c1), ExceptionGroup[ValueError(c2)]]",
        "2; raises ExceptionGroup[ValueError(c1), ExceptionGroup[ValueError(c2)]]",
        "3; raises ExceptionGroup[ValueError(c1), ExceptionGroup[ValueError(c2)]]"})
    void anInnerGroupsFailureAndAnOuterChildsBothSurviveACancellationFromOutside(int k, String python)
            throws Exception {
        assertEquals(python, outcome(() -> {
            try (TaskGroup g1 = new TaskGroup()) {
                g1.createTask(() -> {
                    yields(1);
                    return fail("c1");
                });
                try (TaskGroup g2 = new TaskGroup()) {
                    g2.createTask(() -> fail("c2"));
                }
            }
        }, k));
    }

    /** Fails with ValueError(who) when cancelled. */
    private static Void failWhenCancelled(String who) {
        try {
            Asyncio.sleep(FOREVER);
        } catch (CancelledException e) {
            throw new IllegalArgumentException(who);
        }
        return null;
    }

    /*
     * README's first difference, the body's own exception unseen by close(), followed by a
     * cancellation that stops the group: the task still ends with every failure, the body's last.
     *
     * async with asyncio.TaskGroup() as g1:
     *     g1.create_task(fail_when_cancelled("c1"))
     *     async with asyncio.timeout(0):
     *         await yields(1)
     */
    @org.junit.jupiter.api.Test
    void theBodysTimeoutJoinsTheGroupWhenACancellationStopsIt() throws Exception {
        // CPython needs no outside cancel (its group sees the TimeoutError); here the group waits
        // for its child until one comes, then ends as CPython's did.
        assertEquals("raises ExceptionGroup[ValueError(c1), TimeoutError()]", outcome(() -> {
            try (TaskGroup g1 = new TaskGroup()) {
                g1.createTask(() -> failWhenCancelled("c1"));
                try (Timeout t2 = Asyncio.timeout(Duration.ZERO)) {
                    yields(1);
                }
            }
        }, 3));
    }

    /*
     * async with asyncio.timeout(0.02):
     *     async with asyncio.TaskGroup() as g2:
     *         g2.create_task(fail_when_cancelled("c1"))
     *         async with asyncio.timeout(0):
     *             await asyncio.sleep(FOREVER)
     */
    @org.junit.jupiter.api.Test
    void anInnerExpiryJoinsTheGroupThatAnOuterExpiryStopped() throws Exception {
        assertEquals("raises ExceptionGroup[ValueError(c1), TimeoutError()]", outcome(() -> {
            try (Timeout t1 = Asyncio.timeout(ms(20))) {
                try (TaskGroup g2 = new TaskGroup()) {
                    g2.createTask(() -> failWhenCancelled("c1"));
                    try (Timeout t3 = Asyncio.timeout(Duration.ZERO)) {
                        Asyncio.sleep(FOREVER);
                    }
                }
            }
        }, -1));
    }
}

package dev.pyloom.asyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import dev.pyloom.asyncio.locks.Event;

/** {@link TaskGroup}: CPython's {@code test_taskgroups.TestTaskGroup}. */
abstract class TaskGroupContract extends LoopContract {

    @Test
    void closeWaitsForEveryTask() throws Exception { // test_taskgroup_01
        List<Integer> results = run(() -> {
            Task<Integer> a;
            Task<Integer> b;
            try (TaskGroup group = new TaskGroup()) {
                a = group.createTask(() -> {
                    Asyncio.sleep(ms(10));
                    return 1;
                });
                b = group.createTask(() -> 2);
            }
            assertTrue(a.done() && b.done());
            return List.of(a.result(), b.result());
        });
        assertEquals(List.of(1, 2), results);
    }

    @Test
    void aCancellationTheBodyHandledDoesNotCancelTheChildren() throws Exception {
        // An inner timeout that expired and was caught, a waitFor that timed out, a cancel taken
        // back with uncancel(): none is the body exiting with a cancellation (Python's
        // "et is CancelledError"), so the children run to their end.
        List<String> results = run(() -> {
            Event release = new Event();
            List<String> out = new ArrayList<>();
            Task<String> child;
            try (TaskGroup group = new TaskGroup()) {
                child = group.createTask(() -> {
                    release.await();
                    return "child finished";
                });
                try (Timeout t = Asyncio.timeout(ms(1))) {
                    Asyncio.sleep(FOREVER);
                } catch (TimeoutException handled) {
                    out.add("timeout handled");
                }
                try {
                    Asyncio.waitFor(() -> {
                        Asyncio.sleep(FOREVER);
                        return null;
                    }, ms(1));
                } catch (TimeoutException handled) {
                    out.add("waitFor handled");
                }
                Task<?> me = Asyncio.currentTask().orElseThrow();
                me.cancel();
                try {
                    Asyncio.sleep(Duration.ZERO);
                } catch (CancelledException handled) {
                    me.uncancel();
                    out.add("cancel handled");
                }
                release.set();
            }
            out.add(child.result());
            return out;
        });
        assertEquals(List.of("timeout handled", "waitFor handled", "cancel handled", "child finished"), results);
    }

    @Test
    void aFailingTaskCancelsItsSiblingsAndTheFailureIsRaisedAsAGroup() throws Exception { // test_taskgroup_03
        List<Object> seen = new ArrayList<>();
        run(() -> {
            Task<?>[] sibling = new Task<?>[1];
            ExceptionGroup group = assertThrows(ExceptionGroup.class, () -> {
                try (TaskGroup tg = new TaskGroup()) {
                    sibling[0] = tg.createTask(() -> Asyncio.sleep(FOREVER));
                    tg.createTask(() -> {
                        Asyncio.sleep(ms(1));
                        throw new ArithmeticException("child failed");
                    });
                }
            });
            seen.addAll(group.exceptions());
            assertTrue(sibling[0].cancelled());
        });
        assertEquals(1, seen.size());
        assertInstanceOf(ArithmeticException.class, seen.get(0));
    }

    @Test
    void aFailingTaskCancelsTheBodyAtItsAwaitPoint() throws Exception { // test_taskgroup_07
        List<String> order = new ArrayList<>();
        run(() -> {
            assertThrows(ExceptionGroup.class, () -> {
                try (TaskGroup tg = new TaskGroup()) {
                    tg.createTask(() -> {
                        throw new ArithmeticException();
                    });
                    try {
                        Asyncio.sleep(FOREVER);
                        order.add("body not cancelled");
                    } finally {
                        order.add("body left its await point");
                    }
                }
            });
        });
        assertEquals(List.of("body left its await point"), order);
    }

    @Test
    void aChildFailingAsAnOutsideCancellationStopsItFailsTheTaskWithTheGroup() throws Exception {
        // Python raises the ExceptionGroup in place of the body's cancellation, and the task
        // fails with it. In Java the block can only end with the body's CancelledException, the
        // group suppressed on it (README: Timeouts and task groups); the task then fails with
        // the group, as Python's does: the child's failure is not lost.
        List<Throwable> inBlock = new ArrayList<>();
        ExceptionGroup escaped = run(() -> {
            Event started = new Event();
            Task<Void> parent = Asyncio.createTask(() -> {
                try {
                    try (TaskGroup group = new TaskGroup()) {
                        group.createTask(() -> {
                            try {
                                Asyncio.sleep(FOREVER);
                            } catch (CancelledException stopping) {
                                throw new IllegalStateException("child failed while being cancelled");
                            }
                        });
                        started.set();
                        Asyncio.sleep(FOREVER);
                    }
                } catch (CancelledException e) {
                    inBlock.add(e);
                    throw e;
                }
            });
            started.await();
            parent.cancel();
            ExceptionGroup failure = assertThrows(ExceptionGroup.class, parent::await);
            assertTrue(!parent.cancelled());
            return failure;
        });
        assertEquals("child failed while being cancelled", escaped.exceptions().get(0).getMessage());
        assertEquals(List.of(escaped), List.of(inBlock.get(0).getSuppressed()));
    }

    @Test
    void nestedGroupsStoppedFromOutsideKeepEveryChildsFailure() throws Exception {
        // CPython: EG[outer child's error, EG[inner child's error]] -- the inner group ends the
        // outer block's body, and joins the outer group's failures.
        ExceptionGroup escaped = run(() -> {
            Event started = new Event();
            Task<Void> parent = Asyncio.createTask(() -> {
                try (TaskGroup outer = new TaskGroup()) {
                    outer.createTask(() -> failWhenCancelled("outer child"));
                    try (TaskGroup inner = new TaskGroup()) {
                        inner.createTask(() -> failWhenCancelled("inner child"));
                        started.set();
                        Asyncio.sleep(FOREVER);
                    }
                }
            });
            started.await();
            parent.cancel();
            return assertThrows(ExceptionGroup.class, parent::await);
        });
        assertEquals(2, escaped.exceptions().size(), String.valueOf(escaped.exceptions()));
        assertEquals("outer child", escaped.exceptions().get(0).getMessage());
        ExceptionGroup inner = assertInstanceOf(ExceptionGroup.class, escaped.exceptions().get(1));
        assertEquals("inner child", inner.exceptions().get(0).getMessage());
    }

    @Test
    void nestedGroupsWhoseChildrenBothFailRaiseBothFailures() throws Exception {
        // CPython: the inner block raises EG[inner child's error] into the outer body, and the
        // outer block raises EG[outer child's error, EG[inner child's error]]; nothing after
        // either block runs.
        List<String> ranOn = new ArrayList<>();
        ExceptionGroup escaped = run(() -> assertThrows(ExceptionGroup.class, () -> {
            try (TaskGroup outer = new TaskGroup()) {
                try (TaskGroup inner = new TaskGroup()) {
                    inner.createTask(() -> failAfterAStep(new IllegalStateException("inner child")));
                    outer.createTask(() -> failAfterAStep(new IllegalArgumentException("outer child")));
                }
                ranOn.add("after the inner block");
            }
            ranOn.add("after the outer block");
        }));
        assertEquals(List.of(), ranOn);
        assertEquals(2, escaped.exceptions().size(), String.valueOf(escaped.exceptions()));
        assertInstanceOf(IllegalArgumentException.class, escaped.exceptions().get(0));
        ExceptionGroup inner = assertInstanceOf(ExceptionGroup.class, escaped.exceptions().get(1));
        assertEquals(List.of("inner child"), inner.exceptions().stream().map(Throwable::getMessage).toList());
    }

    @Test
    void nestedGroupsWhoseChildrenBothFailRaiseBothFailuresWhileTheInnerBodyAwaits() throws Exception {
        ExceptionGroup escaped = run(() -> assertThrows(ExceptionGroup.class, () -> {
            try (TaskGroup outer = new TaskGroup()) {
                try (TaskGroup inner = new TaskGroup()) {
                    inner.createTask(() -> failAfterAStep(new IllegalStateException("inner child")));
                    outer.createTask(() -> failAfterAStep(new IllegalArgumentException("outer child")));
                    Asyncio.sleep(FOREVER);
                }
            }
        }));
        assertEquals(2, escaped.exceptions().size(), String.valueOf(escaped.exceptions()));
        assertInstanceOf(IllegalArgumentException.class, escaped.exceptions().get(0));
        assertInstanceOf(ExceptionGroup.class, escaped.exceptions().get(1));
    }

    @Test
    void anOuterGroupsFailureWhileTheInnerGroupIsAlreadyStoppingLeavesBothBlocks() throws Exception {
        // The inner group is cancelling its tasks because its own child failed; the outer
        // group's child then fails while the inner close() waits: the outer failure must come
        // out, holding the inner group's.
        ExceptionGroup escaped = run(() -> assertThrows(ExceptionGroup.class, () -> {
            try (TaskGroup outer = new TaskGroup()) {
                Event innerFailed = new Event();
                outer.createTask(() -> {
                    innerFailed.await();
                    Asyncio.sleep(Duration.ZERO);
                    throw new IllegalArgumentException("outer child");
                });
                try (TaskGroup inner = new TaskGroup()) {
                    inner.createTask(() -> {
                        innerFailed.set();
                        throw new IllegalStateException("inner child");
                    });
                    inner.createTask(() -> {
                        try {
                            Asyncio.sleep(FOREVER);
                        } finally {
                            Asyncio.sleep(ms(5)); // slow to stop: the inner close() waits for it
                        }
                    });
                }
            }
        }));
        assertInstanceOf(IllegalArgumentException.class, escaped.exceptions().get(0));
        ExceptionGroup inner = assertInstanceOf(ExceptionGroup.class, escaped.exceptions().get(1));
        assertEquals("inner child", inner.exceptions().get(0).getMessage());
    }

    @Test
    void anInnerGroupRunAsATaskOfTheOuterGroupStopsTheOuterGroupWhenItFails() throws Exception {
        // The README's way to have a failing inner group cancel its enclosing group's other
        // tasks (a server loop, say), as Python's nested blocks do.
        List<String> order = new ArrayList<>();
        ExceptionGroup escaped = run(() -> assertThrows(ExceptionGroup.class, () -> {
            try (TaskGroup outer = new TaskGroup()) {
                outer.createTask(() -> {
                    try {
                        Asyncio.sleep(FOREVER); // serves until told to stop
                    } finally {
                        order.add("server stopped");
                    }
                });
                outer.createTask(() -> {
                    try (TaskGroup inner = new TaskGroup()) {
                        inner.createTask(() -> failAfterAStep(new IllegalStateException("inner child")));
                    }
                });
            }
        }));
        assertEquals(List.of("server stopped"), order);
        ExceptionGroup inner = assertInstanceOf(ExceptionGroup.class, escaped.exceptions().get(0));
        assertEquals("inner child", inner.exceptions().get(0).getMessage());
    }

    private static Void failAfterAStep(RuntimeException failure) {
        Asyncio.sleep(Duration.ZERO);
        throw failure;
    }

    @Test
    void aChildFailingAsATimeoutStopsTheGroupFailsTheTaskWithTheGroup() throws Exception {
        // CPython 3.11: the group replaces the cancellation, so the timeout does not turn it
        // into TimeoutError, and the task fails with the group.
        ExceptionGroup escaped = run(() -> {
            Task<Void> task = Asyncio.createTask(() -> {
                try (Timeout scope = Asyncio.timeout(ms(10))) {
                    try (TaskGroup group = new TaskGroup()) {
                        group.createTask(() -> failWhenCancelled("child"));
                        Asyncio.sleep(FOREVER);
                    }
                }
            });
            return assertThrows(ExceptionGroup.class, task::await);
        });
        assertEquals("child", escaped.exceptions().get(0).getMessage());
    }

    // ---- Nested groups whose inner children fail as they are cancelled. CPython 3.12 raises, for
    // each, the outer group's failures followed by the inner group: EG[L1, EG[L2]].

    /** The messages of a group, nested groups as lists: EG[L1, EG[L2]] is [L1, [L2]]. */
    private static List<Object> shape(ExceptionGroup group) {
        List<Object> out = new ArrayList<>();
        for (Throwable e : group.exceptions()) {
            out.add(e instanceof ExceptionGroup inner ? shape(inner) : e.getMessage());
        }
        return out;
    }

    @Test
    void anOuterChildFailingStopsTheInnerGroupWhoseChildFailsAsItStops() throws Exception {
        ExceptionGroup escaped = run(() -> {
            Task<Void> task = Asyncio.createTask(() -> {
                try (TaskGroup outer = new TaskGroup()) {
                    Event innerRunning = new Event();
                    outer.createTask(() -> {
                        innerRunning.await();
                        throw new IllegalStateException("L1");
                    });
                    try (TaskGroup inner = new TaskGroup()) {
                        inner.createTask(() -> {
                            innerRunning.set();
                            failWhenCancelled("L2");
                        });
                        Asyncio.sleep(FOREVER);
                    }
                }
            });
            return assertThrows(ExceptionGroup.class, task::await);
        });
        assertEquals(List.of("L1", List.of("L2")), shape(escaped));
    }

    @Test
    void aParentCancelledWhileTheInnerCloseWaitsGetsBothGroupsFailures() throws Exception {
        ExceptionGroup escaped = run(() -> {
            Event bothRunning = new Event();
            Task<Void> task = Asyncio.createTask(() -> {
                try (TaskGroup outer = new TaskGroup()) {
                    outer.createTask(() -> failWhenCancelled("L1"));
                    try (TaskGroup inner = new TaskGroup()) {
                        inner.createTask(() -> {
                            bothRunning.set();
                            failWhenCancelled("L2");
                        });
                    } // the body ends at once: the parent waits in the inner close()
                }
            });
            bothRunning.await();
            Asyncio.sleep(Duration.ZERO);
            task.cancel();
            return assertThrows(ExceptionGroup.class, task::await);
        });
        assertEquals(List.of("L1", List.of("L2")), shape(escaped));
    }

    @Test
    void aTimeoutExpiringWhileTheInnerCloseWaitsGetsBothGroupsFailures() throws Exception {
        ExceptionGroup escaped = run(() -> {
            Task<Void> task = Asyncio.createTask(() -> {
                try (Timeout scope = Asyncio.timeout(ms(10))) {
                    try (TaskGroup outer = new TaskGroup()) {
                        outer.createTask(() -> failWhenCancelled("L1"));
                        try (TaskGroup inner = new TaskGroup()) {
                            inner.createTask(() -> failWhenCancelled("L2"));
                        }
                    }
                }
            });
            return assertThrows(ExceptionGroup.class, task::await);
        });
        assertEquals(List.of("L1", List.of("L2")), shape(escaped));
    }

    @Test
    void threeNestedGroupsStoppedByTheOutermostChildNestTheirFailures() throws Exception {
        ExceptionGroup escaped = run(() -> {
            Task<Void> task = Asyncio.createTask(() -> {
                try (TaskGroup g1 = new TaskGroup()) {
                    Event innermostRunning = new Event();
                    g1.createTask(() -> {
                        innermostRunning.await();
                        throw new IllegalStateException("L1");
                    });
                    try (TaskGroup g2 = new TaskGroup()) {
                        g2.createTask(() -> failWhenCancelled("L2"));
                        try (TaskGroup g3 = new TaskGroup()) {
                            g3.createTask(() -> {
                                innermostRunning.set();
                                failWhenCancelled("L3");
                            });
                            Asyncio.sleep(FOREVER);
                        }
                    }
                }
            });
            return assertThrows(ExceptionGroup.class, task::await);
        });
        assertEquals(List.of("L1", List.of("L2", List.of("L3"))), shape(escaped));
    }

    private static void failWhenCancelled(String who) {
        try {
            Asyncio.sleep(FOREVER);
        } catch (CancelledException stopping) {
            throw new IllegalStateException(who);
        }
    }

    @Test
    void allFailuresAreRaisedTogether() throws Exception { // test_taskgroup_05
        int failures = run(() -> {
            ExceptionGroup group = assertThrows(ExceptionGroup.class, () -> {
                try (TaskGroup tg = new TaskGroup()) {
                    for (int i = 0; i < 3; i++) {
                        tg.createTask(() -> {
                            try {
                                Asyncio.sleep(FOREVER);
                            } catch (CancelledException e) {
                                throw new IllegalStateException("failed while cancelled", e);
                            }
                        });
                    }
                    tg.createTask(() -> {
                        throw new ArithmeticException("first");
                    });
                    Asyncio.sleep(FOREVER);
                }
            });
            assertInstanceOf(ArithmeticException.class, group.exceptions().get(0));
            return group.exceptions().size();
        });
        assertEquals(4, failures);
    }

    @Test
    void anExplicitlyCancelledTaskDoesNotFailTheGroup() throws Exception { // test_taskgroup_cancel_children_on_cancel... task.cancel()
        String result = run(() -> {
            try (TaskGroup tg = new TaskGroup()) {
                Task<Void> doomed = tg.createTask(() -> Asyncio.sleep(FOREVER));
                tg.createTask(() -> Asyncio.sleep(ms(5)));
                Asyncio.sleep(Duration.ZERO);
                doomed.cancel();
            }
            return "no exception";
        });
        assertEquals("no exception", result);
    }

    @Test
    void cancellingTheParentCancelsTheTasksAndTheCancellationGoesOn() throws Exception { // test_taskgroup_04 / _08
        run(() -> {
            List<Task<?>> children = new ArrayList<>();
            Task<Void> parent = Asyncio.createTask(() -> {
                try (TaskGroup tg = new TaskGroup()) {
                    children.add(tg.createTask(() -> Asyncio.sleep(FOREVER)));
                    children.add(tg.createTask(() -> Asyncio.sleep(FOREVER)));
                    Asyncio.sleep(FOREVER);
                }
            });
            Asyncio.sleep(ms(1));
            parent.cancel();
            assertThrows(CancelledException.class, parent::await);
            assertTrue(parent.cancelled());
            assertTrue(children.stream().allMatch(Task::cancelled));
        });
    }

    @Test
    void cancellingTheParentWhileCloseWaitsCancelsTheTasks() throws Exception { // test_taskgroup_10
        run(() -> {
            List<Task<?>> children = new ArrayList<>();
            Task<Void> parent = Asyncio.createTask(() -> {
                try (TaskGroup tg = new TaskGroup()) {
                    children.add(tg.createTask(() -> Asyncio.sleep(FOREVER)));
                }
            });
            Asyncio.sleep(ms(1));
            parent.cancel();
            assertThrows(CancelledException.class, parent::await);
            assertTrue(children.get(0).cancelled());
        });
    }

    @Test
    void theParentIsNotLeftCancelledAfterTheGroupHandledAFailure() throws Exception { // test_taskgroup_uncancel
        int cancelling = run(() -> {
            try (TaskGroup tg = new TaskGroup()) {
                tg.createTask(() -> {
                    throw new ArithmeticException();
                });
                Asyncio.sleep(FOREVER);
            } catch (ExceptionGroup expected) {
                // handled
            }
            Asyncio.sleep(ms(1));
            return Asyncio.currentTask().orElseThrow().cancelling();
        });
        assertEquals(0, cancelling);
    }

    @Test
    void creatingATaskInAFinishedGroupThrows() throws Exception { // test_taskgroup_finished
        run(() -> {
            TaskGroup finished;
            try (TaskGroup tg = new TaskGroup()) {
                finished = tg;
            }
            assertThrows(IllegalStateException.class, () -> finished.createTask(() -> 1));
        });
    }

    @Test
    void aGroupInsideAnExpiredTimeoutCancelsItsTasksAndTimesOut() throws Exception { // test_taskgroup_timeout
        run(() -> {
            List<Task<?>> children = new ArrayList<>();
            assertThrows(TimeoutException.class, () -> {
                try (Timeout t = Asyncio.timeout(ms(10))) {
                    try (TaskGroup tg = new TaskGroup()) {
                        children.add(tg.createTask(() -> Asyncio.sleep(FOREVER)));
                    }
                }
            });
            assertTrue(children.get(0).cancelled());
        });
    }

    @Test
    void aGroupOutsideACoroutineIsRejected() {
        assertThrows(IllegalStateException.class, TaskGroup::new);
    }
}

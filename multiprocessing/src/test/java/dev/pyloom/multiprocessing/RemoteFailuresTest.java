package dev.pyloom.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.multiprocessing.internal.Failure;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The rule for the class a failure names: the parent re-creates the exception only if the class
 * is a {@code Throwable} on its own class path, checked before the class is initialized; creating
 * one runs its static initializer, as throwing it in the parent would (the workers run the
 * parent's own class path, over an authenticated connection, so the name comes from code the
 * program ships). A name that is not a Throwable initializes nothing. The type is made with
 * whatever constructor it has; and where a caller waits for the result, the exception it gets
 * shows the caller's frames, with the worker's as its cause.
 */
@ExtendWith(NoChildrenLeft.class)
class RemoteFailuresTest {

    /** An exception whose static initializer leaves a mark in the JVM that initializes it. */
    static final class Noisy extends RuntimeException {
        private static final long serialVersionUID = 1L;

        static {
            System.setProperty("pyloom.test.noisy", "initialized in " + ProcessHandle.current().pid());
        }

        public Noisy(String message) {
            super(message);
        }
    }

    /** Not a Throwable; its static initializer must never run because a frame named it. */
    static final class NotAThrowable {
        static {
            System.setProperty("pyloom.test.notAThrowable", "initialized");
        }

        private NotAThrowable() {}
    }

    /** A Throwable whose static initializer fails: the failure arrives as a RemoteException. */
    static final class Broken extends RuntimeException {
        private static final long serialVersionUID = 1L;

        static {
            if (Boolean.parseBoolean("true")) {
                throw new IllegalStateException("cannot initialize");
            }
        }

        public Broken(String message) {
            super(message);
        }
    }

    static int throwNoisy(String message) {
        throw new Noisy(message);
    }

    static int failAt(int x) {
        if (x == 2) {
            throw new IllegalArgumentException("bad item " + x);
        }
        return x;
    }

    /** Only a private (String) constructor. */
    static final class Private extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private Private(String message) {
            super(message);
        }
    }

    /** A constructor that makes its own message from a code. */
    static final class Coded extends Exception {
        private static final long serialVersionUID = 1L;

        final int code;

        Coded(int code, boolean retryable) {
            super("code " + code + (retryable ? ", retry" : ""));
            this.code = code;
        }
    }

    /** Only a (cause) constructor. */
    static final class Wrapping extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Wrapping(Throwable cause) {
            super(cause);
        }
    }

    /** Only a no-argument constructor. */
    static final class Plain extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Plain() {}
    }

    @Test
    void aTaskExceptionShowsTheFramesOfTheCallerThatWaitedWithTheWorkersAsItsCause() throws Exception {
        try (Pool pool = new Pool(1)) {
            IllegalArgumentException applied = assertThrows(IllegalArgumentException.class,
                    () -> pool.apply(RemoteFailuresTest::failAt, 2));
            assertCallersFrames(applied, "aTaskExceptionShowsTheFramesOfTheCallerThatWaitedWithTheWorkersAsItsCause");

            ExecutionException got = assertThrows(ExecutionException.class,
                    () -> pool.applyAsync(RemoteFailuresTest::failAt, 2).get());
            assertCallersFrames(got.getCause(), "aTaskExceptionShowsTheFramesOfTheCallerThatWaitedWithTheWorkersAsItsCause");

            IllegalArgumentException mapped = assertThrows(IllegalArgumentException.class,
                    () -> pool.map(RemoteFailuresTest::failAt, List.of(1, 2, 3)));
            assertCallersFrames(mapped, "aTaskExceptionShowsTheFramesOfTheCallerThatWaitedWithTheWorkersAsItsCause");

            ResultIterator<Integer> results = pool.imap(RemoteFailuresTest::failAt, List.of(1, 2, 3), 1);
            assertEquals(1, results.next());
            IllegalArgumentException next = assertThrows(IllegalArgumentException.class, () -> results.next());
            assertCallersFrames(next, "aTaskExceptionShowsTheFramesOfTheCallerThatWaitedWithTheWorkersAsItsCause");
            assertEquals(3, results.next());
        }
    }

    private static void assertCallersFrames(Throwable e, String testMethod) {
        assertInstanceOf(IllegalArgumentException.class, e);
        assertEquals("bad item 2", e.getMessage());
        List<StackTraceElement> frames = Arrays.asList(e.getStackTrace());
        assertTrue(frames.getFirst().getClassName().startsWith("dev.pyloom.multiprocessing."),
                "it starts where pyloom waited for the result: " + frames);
        assertTrue(frames.stream().anyMatch(frame -> frame.getMethodName().equals(testMethod)
                || frame.getMethodName().startsWith("lambda$" + testMethod)), "the caller's frames: " + frames);
        List<StackTraceElement> pyloomFrames = frames.subList(0, frames.indexOf(frames.stream()
                .filter(frame -> frame.getClassName().startsWith(RemoteFailuresTest.class.getName())).findFirst().orElseThrow()));
        assertTrue(pyloomFrames.stream().allMatch(frame -> frame.getClassName().equals(Pool.class.getName())
                || frame.getClassName().equals(AsyncResult.class.getName())
                || frame.getClassName().equals(ResultIterator.class.getName())),
                "above the caller, only where pyloom waited, no frames of how the exception was made: " + pyloomFrames);
        RemoteTraceback remote = assertInstanceOf(RemoteTraceback.class, e.getCause());
        assertTrue(Arrays.stream(remote.getStackTrace()).anyMatch(frame -> frame.getMethodName().equals("failAt")),
                "the worker's frames: " + Arrays.toString(remote.getStackTrace()));
    }

    @Test
    void aTypeWithOnlyAPrivateMessageConstructorArrivesAsItselfWithItsMessage() {
        Throwable e = RemoteFailures.toException(failure(Private.class.getName()), "PoolWorker-0 (pid 1)");
        assertEquals("from the wire", assertInstanceOf(Private.class, e).getMessage());
        assertEquals("thrown in PoolWorker-0 (pid 1)", e.getCause().getMessage());
    }

    @Test
    void aTypeThatMakesItsOwnMessageArrivesAsItselfAndItsTracebackCarriesTheOriginalMessage() {
        Throwable e = RemoteFailures.toException(failure(Coded.class.getName()), "PoolWorker-0 (pid 1)");
        assertEquals(0, assertInstanceOf(Coded.class, e).code);
        assertEquals("thrown in PoolWorker-0 (pid 1): from the wire", e.getCause().getMessage());
    }

    @Test
    void aTypeWithOnlyACauseConstructorGetsTheTracebackAsItsCause() {
        Throwable e = RemoteFailures.toException(failure(Wrapping.class.getName()), "PoolWorker-0 (pid 1)");
        RemoteTraceback traceback = assertInstanceOf(RemoteTraceback.class, assertInstanceOf(Wrapping.class, e).getCause());
        assertEquals("thrown in PoolWorker-0 (pid 1): from the wire", traceback.getMessage());
    }

    @Test
    void aTypeWithOnlyANoArgumentConstructorArrivesAsItself() {
        Throwable e = RemoteFailures.toException(failure(Plain.class.getName()), "PoolWorker-0 (pid 1)");
        assertInstanceOf(Plain.class, e);
        assertInstanceOf(RemoteTraceback.class, e.getCause());
        assertTrue(e.getCause().getMessage().endsWith(": from the wire"), e.getCause().getMessage());
    }

    @Test
    void anUncheckedIOExceptionArrivesAsItselfWithItsIOExceptionCause() {
        Failure failure = Failure.of(new java.io.UncheckedIOException("reading config", new java.io.IOException("disk")));
        Throwable e = RemoteFailures.toException(failure, "PoolWorker-0 (pid 1)");
        assertEquals("reading config", assertInstanceOf(java.io.UncheckedIOException.class, e).getMessage());
        assertEquals("disk", e.getCause().getMessage());
        assertTrue(Arrays.stream(e.getSuppressed()).anyMatch(RemoteTraceback.class::isInstance),
                "the worker's trace is still there: " + Arrays.toString(e.getSuppressed()));
    }

    /** An exception whose own getMessage() throws. */
    static final class Unspeakable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        @Override
        public String getMessage() {
            throw new IllegalStateException("getMessage blew up");
        }
    }

    @Test
    void anExceptionWhoseGetMessageThrowsIsStillReported() {
        Failure failure = Failure.of(new Unspeakable());
        assertEquals(Unspeakable.class.getName(), failure.type());
        assertTrue(failure.message().contains("getMessage() threw java.lang.IllegalStateException"), failure.message());
    }

    @Test
    void aFailureThatIsNotATasksIsReturnedAsItIs() {
        IllegalStateException local = new IllegalStateException("local");
        assertSame(local, RemoteFailures.here(local));
        assertFalse(RemoteFailures.here(RemoteFailures.toException(failure(Plain.class.getName()), "w")) == null);
    }

    @Test
    void aTaskExceptionOfTheProgramsOwnTypeIsRecreatedRunningItsStaticInitializerHere() throws Exception {
        try (Pool pool = new Pool(1)) {
            Noisy noisy = assertThrows(Noisy.class, () -> pool.apply(RemoteFailuresTest::throwNoisy, "loud"));
            assertEquals("loud", noisy.getMessage());
        }
        assertEquals("initialized in " + ProcessHandle.current().pid(), System.getProperty("pyloom.test.noisy"),
                "re-creating it here ran its static initializer here, as throwing it here would");
    }

    @Test
    void aNameThatIsNotAThrowableInitializesNothing() {
        Throwable e = RemoteFailures.toException(failure(NotAThrowable.class.getName()), "PoolWorker-0 (pid 1)");
        RemoteException remote = assertInstanceOf(RemoteException.class, e);
        assertEquals(NotAThrowable.class.getName(), remote.remoteType());
        assertNull(System.getProperty("pyloom.test.notAThrowable"), "its static initializer never ran");
    }

    @Test
    void aThrowableWhoseInitializerFailsArrivesAsARemoteException() {
        Throwable e = RemoteFailures.toException(failure(Broken.class.getName()), "PoolWorker-0 (pid 1)");
        assertEquals(Broken.class.getName(), assertInstanceOf(RemoteException.class, e).remoteType());
    }

    private static Failure failure(String type) {
        return new Failure(type, "from the wire", List.of(), null);
    }
}

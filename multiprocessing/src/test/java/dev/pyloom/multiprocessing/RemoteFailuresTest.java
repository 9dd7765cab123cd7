package dev.pyloom.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pyloom.multiprocessing.internal.Failure;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The rule for the class a failure names: the parent re-creates the exception only if the class
 * is a {@code Throwable} on its own class path, checked before the class is initialized; creating
 * one runs its static initializer, as throwing it in the parent would (the workers run the
 * parent's own class path, over an authenticated connection, so the name comes from code the
 * program ships). A name that is not a Throwable initializes nothing.
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

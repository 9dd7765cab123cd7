package dev.pyloom.multiprocessing;

import dev.pyloom.multiprocessing.internal.Failure;
import java.lang.reflect.Constructor;

/**
 * Turns a {@link Failure} from another process back into an exception: of the original type
 * when that type is on this class path and is a {@code Throwable} (checked before the class is
 * initialized, so a name from the wire can never run a static initializer of anything else),
 * otherwise a {@link RemoteException}; the cause is a {@link RemoteTraceback} with the remote
 * stack trace.
 */
final class RemoteFailures {

    private RemoteFailures() {}

    static Throwable toException(Failure failure, String where) {
        Throwable remoteCause = failure.cause() == null ? null : toException(failure.cause(), where);
        RemoteTraceback traceback = new RemoteTraceback(where, stackTrace(failure), remoteCause);
        Throwable local = instantiate(failure.type(), failure.message(), traceback);
        if (local == null) {
            return new RemoteException(failure.type(), failure.message(), traceback);
        }
        if (local.getCause() != traceback) {
            try {
                local.initCause(traceback);
            } catch (IllegalStateException causeAlreadySet) {
                local.addSuppressed(traceback); // its constructor set a cause (null, for some): still in its trace
            }
        }
        return local;
    }

    private static StackTraceElement[] stackTrace(Failure failure) {
        return failure.trace().stream()
                .map(line -> new StackTraceElement(line.declaringClass(), line.method(), line.file(), line.line()))
                .toArray(StackTraceElement[]::new);
    }

    /* (message, cause) where the type has it, so the remote trace is the cause; else (message); else (). */
    private static Throwable instantiate(String type, String message, Throwable cause) {
        try {
            Class<?> candidate = Class.forName(type, false, RemoteFailures.class.getClassLoader());
            if (!Throwable.class.isAssignableFrom(candidate)) {
                return null;
            }
            try {
                Constructor<?> withCause = candidate.getConstructor(String.class, Throwable.class);
                return (Throwable) withCause.newInstance(message, cause);
            } catch (NoSuchMethodException noCauseConstructor) {
                try {
                    Constructor<?> withMessage = candidate.getConstructor(String.class);
                    return (Throwable) withMessage.newInstance(message);
                } catch (NoSuchMethodException noMessageConstructor) {
                    return (Throwable) candidate.getConstructor().newInstance();
                }
            }
        } catch (ReflectiveOperationException | LinkageError | RuntimeException cannot) {
            return null;
        }
    }
}

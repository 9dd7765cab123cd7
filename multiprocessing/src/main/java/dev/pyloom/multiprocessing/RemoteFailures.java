package dev.pyloom.multiprocessing;

import dev.pyloom.multiprocessing.internal.Failure;
import java.lang.reflect.Constructor;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;

/**
 * Turns a {@link Failure} from another process back into an exception: of the original type
 * when that type is on this class path and is a {@code Throwable} (checked before the class is
 * initialized, so a name from the wire can never run a static initializer of anything else),
 * otherwise a {@link RemoteException}; the cause is a {@link RemoteTraceback} with the remote
 * stack trace.
 *
 * <p>The type is made with the constructor that keeps most of what was sent: (message, cause),
 * (message), (cause), (), and failing those any other (one that takes a message first), given
 * the message for its first {@code String}, the traceback for its first {@code Throwable} (or,
 * where that parameter is narrower, such as {@code UncheckedIOException}'s {@code IOException},
 * the original's own cause, re-created) and zeros and nulls for the rest;
 * non-public ones where the type's package is open to pyloom (always, on the class path). When
 * the message could not be passed, the traceback's message carries it.
 */
final class RemoteFailures {

    private RemoteFailures() {}

    static Throwable toException(Failure failure, String where) {
        Throwable remoteCause = failure.cause() == null ? null : toException(failure.cause(), where);
        RemoteTraceback traceback = new RemoteTraceback(where, failure, stackTrace(failure), remoteCause);
        Throwable local = instantiate(failure.type(), failure.message(), traceback, remoteCause);
        if (local == null) {
            return new RemoteException(failure.type(), failure.message(), traceback);
        }
        if (local instanceof WorkerDiedException) {
            return local; // its message says where; its "trace" would be the other machine's pool's
        }
        if (!Objects.equals(local.getMessage(), failure.message())) {
            traceback.showMessage();
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

    /**
     * {@code failure} as the thread that waited for it should see it: a task's exception made
     * anew, here, so that its stack trace is this thread's from where it waited (pyloom's frames
     * from the wait down, the caller's below them), with the worker's trace as its cause. Any
     * other failure (a worker that died, a cancelled task) is returned as it is.
     */
    static Throwable here(Throwable failure) {
        RemoteTraceback traceback = tracebackOf(failure);
        if (traceback == null || traceback.failure() == null) {
            return failure;
        }
        Throwable fresh = toException(traceback.failure(), traceback.where());
        StackTraceElement[] trace = fresh.getStackTrace();
        int last = -1;
        for (int i = 0; i < trace.length; i++) {
            if (trace[i].getClassName().equals(RemoteFailures.class.getName())) {
                last = i;
            }
        }
        fresh.setStackTrace(Arrays.copyOfRange(trace, last + 1, trace.length));
        return fresh;
    }

    private static RemoteTraceback tracebackOf(Throwable failure) {
        if (failure == null) {
            return null;
        }
        if (failure.getCause() instanceof RemoteTraceback traceback) {
            return traceback;
        }
        for (Throwable suppressed : failure.getSuppressed()) {
            if (suppressed instanceof RemoteTraceback traceback) {
                return traceback;
            }
        }
        return null;
    }

    private static StackTraceElement[] stackTrace(Failure failure) {
        return failure.trace().stream()
                .map(line -> new StackTraceElement(line.declaringClass(), line.method(), line.file(), line.line()))
                .toArray(StackTraceElement[]::new);
    }

    private static Throwable instantiate(String type, String message, RemoteTraceback cause, Throwable remoteCause) {
        if (type.equals(WorkerDiedException.class.getName())) { // a worker of another machine's pool (pyloom-cluster)
            return WorkerDiedException.relayed(message, cause.where());
        }
        Class<?> candidate;
        try {
            candidate = Class.forName(type, false, RemoteFailures.class.getClassLoader());
        } catch (ReflectiveOperationException | LinkageError | RuntimeException notHere) {
            return null;
        }
        if (!Throwable.class.isAssignableFrom(candidate)) {
            return null;
        }
        for (Class<?>[] shape : new Class<?>[][] {{String.class, Throwable.class}, {String.class}, {Throwable.class}, {}}) {
            try {
                Throwable made = construct(candidate.getDeclaredConstructor(shape), message, cause, remoteCause);
                if (made != null) {
                    return made;
                }
            } catch (NoSuchMethodException | RuntimeException notThisOne) {
                // the next shape
            } catch (LinkageError cannotInitialize) {
                return null;
            }
        }
        Constructor<?>[] others = candidate.getDeclaredConstructors();
        // those that take a message first, then those that take a cause, then the fewest parameters
        Arrays.sort(others, Comparator.<Constructor<?>>comparingInt(c -> takes(c, String.class) ? 0 : 1)
                .thenComparingInt(c -> takes(c, Throwable.class) ? 0 : 1)
                .thenComparingInt(Constructor::getParameterCount));
        for (Constructor<?> constructor : others) {
            try {
                Throwable made = construct(constructor, message, cause, remoteCause);
                if (made != null) {
                    return made;
                }
            } catch (RuntimeException notThisOne) {
                // the next constructor
            } catch (LinkageError cannotInitialize) {
                return null;
            }
        }
        return null;
    }

    private static boolean takes(Constructor<?> constructor, Class<?> type) {
        return Arrays.stream(constructor.getParameterTypes()).anyMatch(type::isAssignableFrom);
    }

    /* The exception made by constructor, its parameters filled as the class comment says; null if it cannot be called. */
    private static Throwable construct(Constructor<?> constructor, String message, RemoteTraceback cause,
            Throwable remoteCause) {
        if (!constructor.trySetAccessible()) {
            return null;
        }
        Class<?>[] parameters = constructor.getParameterTypes();
        Object[] arguments = new Object[parameters.length];
        boolean messageGiven = false;
        boolean causeGiven = false;
        for (int i = 0; i < parameters.length; i++) {
            Class<?> parameter = parameters[i];
            if (parameter == String.class && !messageGiven) {
                arguments[i] = message;
                messageGiven = true;
            } else if (parameter.isAssignableFrom(RemoteTraceback.class) && !causeGiven) {
                arguments[i] = cause;
                causeGiven = true;
            } else if (parameter.isInstance(remoteCause) && !causeGiven) {
                arguments[i] = remoteCause; // a narrower cause type (UncheckedIOException's IOException): the original's
                causeGiven = true;
            } else if (parameter.isPrimitive()) {
                arguments[i] = zero(parameter);
            }
        }
        try {
            return (Throwable) constructor.newInstance(arguments);
        } catch (ReflectiveOperationException failed) {
            return null;
        }
    }

    private static Object zero(Class<?> primitive) {
        return java.lang.reflect.Array.get(java.lang.reflect.Array.newInstance(primitive, 1), 0);
    }
}

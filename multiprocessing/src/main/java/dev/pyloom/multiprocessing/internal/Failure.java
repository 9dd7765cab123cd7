package dev.pyloom.multiprocessing.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * An exception thrown in another process, as it travels back: its type's name, its message,
 * its stack trace, and its cause, to a few levels.
 */
public record Failure(String type, String message, List<TraceLine> trace, Failure cause) {

    /** One frame of a stack trace. */
    public record TraceLine(String declaringClass, String method, String file, int line) {
        StackTraceElement toElement() {
            return new StackTraceElement(declaringClass, method, file, line);
        }
    }

    private static final int MAX_CAUSES = 8;

    public static Failure of(Throwable thrown) {
        return of(thrown, 0);
    }

    private static Failure of(Throwable thrown, int depth) {
        List<TraceLine> trace = new ArrayList<>();
        for (StackTraceElement element : thrown.getStackTrace()) {
            trace.add(new TraceLine(element.getClassName(), element.getMethodName(), element.getFileName(),
                    element.getLineNumber()));
        }
        Throwable cause = thrown.getCause();
        return new Failure(thrown.getClass().getName(), message(thrown), trace,
                cause == null || cause == thrown || depth >= MAX_CAUSES ? null : of(cause, depth + 1));
    }

    /* An exception's own code runs here: one whose getMessage() throws still fails its task alone. */
    private static String message(Throwable thrown) {
        try {
            return thrown.getMessage();
        } catch (RuntimeException | LinkageError | StackOverflowError broken) {
            return "(its getMessage() threw " + broken.getClass().getName() + ")";
        }
    }

    StackTraceElement[] stackTrace() {
        return trace.stream().map(TraceLine::toElement).toArray(StackTraceElement[]::new);
    }
}

package dev.pyloom.asyncio;

import java.io.Serial;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Several exceptions raised together: Python's {@code ExceptionGroup}, which Java does not have.
 * {@link TaskGroup} raises one with the failures of all its tasks.
 *
 * <p>The exceptions are also attached as {@linkplain #getSuppressed() suppressed}, so a stack
 * trace shows them all.
 */
public final class ExceptionGroup extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final ArrayList<Throwable> exceptions; // grows only while its TaskGroup is closing, on the loop

    /**
     * A group of {@code exceptions}, in the order they happened.
     *
     * @throws IllegalArgumentException if {@code exceptions} is empty, as in Python
     */
    public ExceptionGroup(String message, List<? extends Throwable> exceptions) {
        super(message);
        if (exceptions.isEmpty()) {
            throw new IllegalArgumentException("second argument (exceptions) must be a non-empty sequence");
        }
        this.exceptions = new ArrayList<>();
        exceptions.forEach(this::add);
    }

    /** The exceptions, oldest first. Python's {@code exceptions}. */
    public List<Throwable> exceptions() {
        return Collections.unmodifiableList(exceptions);
    }

    /** Adds a late failure: a TaskGroup raises its group early and completes it while it closes. */
    final void add(Throwable exception) {
        exceptions.add(exception);
        addSuppressed(exception);
    }

    @Override
    public String getMessage() {
        int n = exceptions.size();
        return super.getMessage() + " (" + n + " sub-exception" + (n == 1 ? "" : "s") + ")";
    }
}

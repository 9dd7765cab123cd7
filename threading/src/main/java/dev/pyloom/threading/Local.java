package dev.pyloom.threading;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A value with a separate instance for every thread: Python's {@code threading.local}.
 *
 * <p>Each thread sees only what it {@linkplain #set set} itself; a thread that has set nothing
 * gets a fresh value from the default factory the first time it asks, never another thread's and
 * never a shared instance. It works the same in virtual threads, and a thread's value goes away
 * with the thread.
 *
 * <pre>{@code
 * static final Local<Connection> CONNECTION = Local.withDefault(Database::connect);
 * ...
 * CONNECTION.get().query(sql);   // each thread its own connection
 * }</pre>
 *
 * <p>Python's {@code local} holds many attributes; here one {@code Local} holds one value, so
 * several attributes become several {@code Local}s or one {@code Local} of a small class or
 * record. It is a thin layer over {@link ThreadLocal}, with Python's vocabulary.
 */
public final class Local<T> {

    private final ThreadLocal<T> values;

    /** A thread-local value that starts as {@code null} in every thread. */
    public Local() {
        this.values = new ThreadLocal<>();
    }

    private Local(Supplier<? extends T> factory) {
        this.values = ThreadLocal.withInitial(factory);
    }

    /**
     * A thread-local value that starts, in each thread, as what {@code factory} returns there.
     * The factory runs in the thread that asks, at its first {@link #get()} (or after a
     * {@link #remove()}).
     */
    public static <T> Local<T> withDefault(Supplier<? extends T> factory) {
        return new Local<>(Objects.requireNonNull(factory, "factory"));
    }

    /** This thread's value. */
    public T get() {
        return values.get();
    }

    /** Sets this thread's value; other threads are unaffected. */
    public void set(T value) {
        values.set(value);
    }

    /** Forgets this thread's value: Python's {@code del local.x}. The next get() starts afresh. */
    public void remove() {
        values.remove();
    }
}

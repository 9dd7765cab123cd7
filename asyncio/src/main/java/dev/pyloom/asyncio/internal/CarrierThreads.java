package dev.pyloom.asyncio.internal;

import java.lang.reflect.Constructor;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Virtual threads with a scheduler of our choosing: the door the carrier strategy goes through.
 *
 * <p>JDK 21 to 25 build every virtual thread through {@code java.lang.ThreadBuilders$VirtualThreadBuilder},
 * whose package-private constructor takes the {@link Executor} that will run the thread's
 * continuation each time it is started or unparked (the JDK's own tests use it). A thread built
 * that way runs on whichever platform thread calls that {@code Runnable}: an event loop that
 * keeps the runnables in its ready queue and calls them itself becomes the only carrier of its
 * coroutines, and a coroutine switch is a continuation yield.
 *
 * <p>The constructor is reachable only when {@code java.base/java.lang} is opened to this
 * module ({@code --add-opens java.base/java.lang=dev.pyloom.asyncio}, or {@code =ALL-UNNAMED}
 * on the class path). Without that, or on a JDK that has changed its internals, {@link #available()}
 * is false and pyloom uses the handoff strategy instead.
 */
public final class CarrierThreads {

    private static final Constructor<?> BUILDER = findBuilder();
    private static final Executor DEFAULT_SCHEDULER = BUILDER == null ? null : findDefaultScheduler();

    private CarrierThreads() {}

    /** Whether virtual threads with a custom scheduler can be built in this JVM. */
    public static boolean available() {
        return BUILDER != null;
    }

    /** Why {@link #available()} is false, for error messages. */
    public static String howToEnable() {
        return "the carrier strategy needs --add-opens java.base/java.lang="
                + Optional.ofNullable(CarrierThreads.class.getModule().getName()).orElse("ALL-UNNAMED")
                + " (JDK 21 to 25)";
    }

    /**
     * A builder of virtual threads whose continuations are handed to {@code scheduler}.
     *
     * @throws IllegalStateException if {@link #available()} is false
     */
    public static Thread.Builder.OfVirtual builder(Executor scheduler) {
        Objects.requireNonNull(scheduler, "scheduler");
        if (BUILDER == null) {
            throw new IllegalStateException(howToEnable());
        }
        try {
            return (Thread.Builder.OfVirtual) BUILDER.newInstance(scheduler);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build a virtual thread with a custom scheduler", e);
        }
    }

    /**
     * A builder of ordinary virtual threads, scheduled by the JDK's default scheduler even when
     * the calling thread is a coroutine of a carrier-strategy loop. The JDK gives a virtual thread
     * created by another virtual thread its creator's scheduler; a generator's body or a
     * {@code toThread} call started from a coroutine must not run on the loop's thread.
     */
    public static Thread.Builder.OfVirtual ordinary() {
        return DEFAULT_SCHEDULER == null ? Thread.ofVirtual() : builder(DEFAULT_SCHEDULER);
    }

    /**
     * The JDK's own scheduler of virtual threads, for continuations that a carrier loop is handed
     * but must not run (a thread a coroutine started, which inherited the loop as its scheduler);
     * null if it cannot be reached.
     */
    public static Executor defaultScheduler() {
        return DEFAULT_SCHEDULER;
    }

    private static Executor findDefaultScheduler() {
        try {
            java.lang.reflect.Field field = Class.forName("java.lang.VirtualThread").getDeclaredField("DEFAULT_SCHEDULER");
            field.setAccessible(true);
            return (Executor) field.get(null);
        } catch (ReflectiveOperationException | RuntimeException changed) {
            return null; // then ordinary() falls back to inheriting, which only matters inside coroutines
        }
    }

    private static Constructor<?> findBuilder() {
        try {
            Class<?> type = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
            Constructor<?> constructor = type.getDeclaredConstructor(Executor.class);
            constructor.setAccessible(true);
            // Prove it works: build (and never start) one thread.
            ((Thread.Builder.OfVirtual) constructor.newInstance((Executor) Runnable::run)).unstarted(() -> {});
            return constructor;
        } catch (ReflectiveOperationException | RuntimeException notOpenedOrChanged) {
            return null;
        }
    }
}

package dev.pyloom.asyncio;

import dev.pyloom.asyncio.internal.CarrierThreads;
import java.util.Locale;

/**
 * How an {@link EventLoop} runs its coroutines. Both give the same guarantees (one coroutine of
 * a loop runs at a time, and only between two of its await points) and pass the same tests;
 * they differ in cost and in what they need from the JVM.
 *
 * <p>The choice is automatic: the system property {@value #PROPERTY} ({@code carrier} or
 * {@code handoff}) forces one; otherwise {@link #CARRIER} where it is available and
 * {@link #HANDOFF} where it is not.
 */
public enum Strategy {

    /**
     * Every coroutine is a virtual thread whose scheduler is the loop itself: the loop's thread is
     * the only carrier its coroutines ever mount on, and a switch is a continuation yield, a few
     * hundred nanoseconds. Needs {@code --add-opens java.base/java.lang=dev.pyloom.asyncio}
     * ({@code =ALL-UNNAMED} on the class path), on JDK 21 to 25.
     */
    CARRIER,

    /**
     * Every coroutine is an ordinary virtual thread of the JDK's scheduler, and the loop's single
     * turn is handed from thread to thread: the holder unparks the next one and parks. Works on
     * any JDK 21+ with no flags; a switch costs two virtual-thread hand-offs (about a microsecond).
     */
    HANDOFF;

    /** The system property that forces a strategy: {@code carrier} or {@code handoff}. */
    public static final String PROPERTY = "pyloom.asyncio.strategy";

    /** Whether {@link #CARRIER} can run in this JVM (the {@code --add-opens} flag is given). */
    public static boolean carrierAvailable() {
        return CarrierThreads.available();
    }

    /**
     * The strategy a loop created without one uses: the one {@value #PROPERTY} names, else
     * {@link #CARRIER} if available, else {@link #HANDOFF}.
     *
     * @throws IllegalArgumentException if the property names no strategy
     */
    public static Strategy automatic() {
        return choose(System.getProperty(PROPERTY), carrierAvailable());
    }

    static Strategy choose(String forced, boolean carrierAvailable) {
        if (forced != null && !forced.isBlank()) {
            try {
                return valueOf(forced.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(PROPERTY + " must be 'carrier' or 'handoff', not '" + forced + "'");
            }
        }
        return carrierAvailable ? CARRIER : HANDOFF;
    }
}

package dev.pyloom.common;

import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/**
 * A JVM that is not shutting down has no signal to report. A real signal's cause is shown where it
 * matters, in a child JVM: multiprocessing's exit wait ({@code FaultsIT}), asyncio's
 * {@code SignalShutdownTest}.
 */
class ShutdownCauseTest {

    @Test
    void aRunningJvmHasNoShutdownSignal() {
        assertNull(ShutdownCause.signal());
    }
}

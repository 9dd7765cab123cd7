package dev.pyloom.ipc.internal;

import dev.pyloom.common.ServiceThreads;

/**
 * The threads pyloom starts to wait for sockets (accepting, handshakes, relays, queue feeders):
 * daemon platform threads with a small stack, never virtual ones.
 *
 * <p>Once a virtual thread has waited for a socket or a selector, the JDK's poller thread sits in
 * a system call for the rest of the JVM's life, and HotSpot holds every JVM's exit up by 300 ms
 * while a thread is in native code: a short program (a pool's worker, a one-shot script) would
 * pay that on every run. A platform thread waits in the system call itself, and is gone, or
 * nearly so, by the time the JVM exits.
 */
public final class SocketThreads {

    private static final long STACK_BYTES = 256 << 10;

    private SocketThreads() {}

    /** Starts {@code body} on a new daemon platform thread named {@code name}. */
    public static Thread start(String name, Runnable body) {
        return ServiceThreads.daemon(name).stackSize(STACK_BYTES).start(body);
    }
}

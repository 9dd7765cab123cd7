package dev.pyloom.multiprocessing.internal;

/**
 * Why this JVM is shutting down: asked by pyloom's exit actions, which wait for child processes
 * after the end of {@code main} or {@code System.exit} (as Python does) but must end promptly,
 * taking the children with them, when the JVM was told to stop by a signal ({@code docker stop}
 * and systemd send SIGTERM, a terminal's Ctrl-C SIGINT).
 *
 * <p>The JVM handles SIGTERM, SIGINT and SIGHUP on a thread it names {@code SIGTERM handler}
 * (and so on), which starts the shutdown and waits in it while the shutdown hooks run. Seeing
 * that thread is how an exit action tells a signal from an ordinary exit, without replacing the
 * JVM's own handlers.
 */
public final class ShutdownCause {

    private ShutdownCause() {}

    /** The signal that started the shutdown in progress ("SIGTERM"), or null if none did. */
    public static String signal() {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            String name = thread.getName();
            if (name.matches("SIG(TERM|INT|HUP) handler") && thread.isAlive()) {
                return name.substring(0, name.indexOf(' '));
            }
        }
        return null;
    }
}

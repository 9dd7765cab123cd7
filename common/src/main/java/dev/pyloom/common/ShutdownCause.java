package dev.pyloom.common;

/**
 * Why this JVM is shutting down: asked by pyloom's shutdown hooks and exit actions, which let a
 * program end normally after the end of {@code main} or {@code System.exit} (a pool waits for
 * its child processes, as Python does) but must end promptly, taking the children with them,
 * when the JVM was told to stop by a signal ({@code docker stop} and systemd send SIGTERM, a
 * terminal's Ctrl-C SIGINT): multiprocessing's exit wait, asyncio's cancellation of a running
 * {@code Asyncio.run}.
 *
 * <p>The JVM handles SIGTERM, SIGINT and SIGHUP on a thread it names {@code SIGTERM handler}
 * (and so on), which starts the shutdown and waits in it while the shutdown hooks run. Seeing
 * that thread is how a hook tells a signal from an ordinary exit, without replacing the JVM's
 * own handlers.
 *
 * <p>A caller that asks from a shutdown hook loads this class when it registers the hook
 * ({@code ShutdownCause.class.getName()}): a launcher that runs the program inside its own JVM
 * ({@code mvn exec:java}) has closed the program's class loader by the time the hooks run.
 */
public final class ShutdownCause {

    private ShutdownCause() {}

    /**
     * The signal that started the shutdown in progress ({@code "SIGTERM"}, {@code "SIGINT"},
     * {@code "SIGHUP"}), or null if none did (no shutdown, or an ordinary exit).
     *
     * @return the signal's name, or null
     */
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

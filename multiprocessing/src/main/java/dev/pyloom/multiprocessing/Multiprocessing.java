package dev.pyloom.multiprocessing;

/**
 * The module-level functions of Python's {@code multiprocessing}.
 *
 * <table class="striped">
 *   <caption>Python → pyloom</caption>
 *   <tr><th>Python</th><th>pyloom</th></tr>
 *   <tr><td>{@code multiprocessing.cpu_count()}</td><td>{@link #cpuCount()}</td></tr>
 *   <tr><td>{@code multiprocessing.current_process()}</td><td>{@link PyProcess#current()}</td></tr>
 * </table>
 */
public final class Multiprocessing {

    private Multiprocessing() {}

    /** The number of processors this JVM may use. Python's {@code cpu_count()}. */
    public static int cpuCount() {
        return Runtime.getRuntime().availableProcessors();
    }
}

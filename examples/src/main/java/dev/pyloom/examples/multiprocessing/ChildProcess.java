package dev.pyloom.examples.multiprocessing;

import dev.pyloom.multiprocessing.PyProcess;

/**
 * The tutorial's first multiprocessing program: a child process runs {@code runProc("test")}.
 *
 * <pre>
 * Parent process 928.
 * Child process will start.
 * Run child process test (929)...
 * Child process end.
 * </pre>
 *
 * <p>The child is a new JVM running this program's class path; {@code runProc} reaches it as a
 * method reference and {@code "test"} as JSON. Its output is this program's output.
 */
public final class ChildProcess {

    private ChildProcess() {}

    static void runProc(String name) {
        System.out.printf("Run child process %s (%s)...%n", name, ProcessHandle.current().pid());
    }

    public static void main(String[] args) throws Exception {
        System.out.printf("Parent process %s.%n", ProcessHandle.current().pid());
        PyProcess p = new PyProcess(ChildProcess::runProc, "test");
        System.out.println("Child process will start.");
        p.start();
        p.join();
        System.out.println("Child process end.");
    }
}

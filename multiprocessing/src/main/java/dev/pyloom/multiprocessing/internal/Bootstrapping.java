package dev.pyloom.multiprocessing.internal;

import java.util.Optional;

/**
 * Python's "bootstrapping phase" rule, for Java: a child process must not start processes of its
 * own from a static initializer.
 *
 * <p>A worker loads the class of each task it runs, and with it the class's static fields. A
 * {@code static final Pool POOL = new Pool(4)} in the class whose methods are the tasks is the
 * commonest way to write a small program, and it would make every worker start a pool of its
 * own: N + N² JVMs for a pool of N, each worker waiting on its own. Python stops the same
 * mistake (a pool created at a module's top level, which a spawned child imports) with
 * {@code RuntimeError: An attempt has been made to start a new process before the current
 * process has finished its bootstrapping phase}. Here a pool or process created in a child, on
 * a stack that runs a static initializer, is refused the same way, naming the class.
 */
public final class Bootstrapping {

    /** The refusal; {@link WorkerMain} reports it as the task's failure, unwrapped from the initializer's error. */
    public static final class Refused extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        public Refused(String message) {
            super(message);
        }
    }

    private Bootstrapping() {}

    /**
     * Refuses to start {@code what} ("a Pool", "a PyProcess") if this JVM is a pyloom child and
     * the caller is inside a static initializer.
     *
     * @throws Refused saying which class's initializer, and what to write instead
     */
    public static void check(String what) {
        String child = System.getProperty(WorkerMain.NAME_PROPERTY);
        if (child == null) {
            return;
        }
        Optional<String> initializing = StackWalker.getInstance().walk(frames -> frames
                .filter(frame -> frame.getMethodName().equals("<clinit>"))
                .map(StackWalker.StackFrame::getClassName)
                .reduce((inner, outer) -> outer));
        if (initializing.isPresent()) {
            throw new Refused(what + " cannot be started in " + child + " by the static initializer of "
                    + initializing.get() + ": the class was loaded to run a task, and every worker would start "
                    + what.substring(what.indexOf(' ') + 1) + " of its own. Create it in main() or in a method that"
                    + " only the parent runs, not in a static field of a class whose methods run as tasks. (Python"
                    + " refuses the same: \"An attempt has been made to start a new process before the current"
                    + " process has finished its bootstrapping phase.\")");
        }
    }

    /** A task's failure as the parent should see it: a refusal inside a class's initialization, unwrapped. */
    static Throwable unwrap(Throwable failure) {
        if (failure instanceof ExceptionInInitializerError error && error.getCause() instanceof Refused refused) {
            return refused;
        }
        return failure;
    }
}

package dev.pyloom.multiprocessing.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Python's "bootstrapping phase" rule, for Java: a child process does not start processes of its
 * own while it initializes the class of the task it was given.
 *
 * <p>A worker loads the class of each task it runs, and with it the class's static fields. A
 * {@code static final Pool POOL = new Pool(4)} in the class whose methods are the tasks is the
 * commonest way to write a small program, and it would make every worker start a pool of its
 * own: N + N² JVMs for a pool of N, each worker waiting on its own. Python stops the same
 * mistake (a pool created at a module's top level, which a spawned child imports) with
 * {@code RuntimeError: An attempt has been made to start a new process before the current
 * process has finished its bootstrapping phase}. Here a child initializes a task's class (a
 * pool's task, a process's target, a pool's initializer) before it runs it, inside
 * {@link #initialize}: a pool or process started while that runs, by the class's static
 * initializer or one it sets off, is refused, naming the class. Once the task runs, the child
 * may start what it likes, as a Python child may once it has been bootstrapped.
 */
public final class Bootstrapping {

    /** The refusal; {@link WorkerMain} reports it as the task's failure, unwrapped from the initializer's error. */
    public static final class Refused extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        public Refused(String message) {
            super(message);
        }
    }

    /**
     * The class being initialized for a task, while it is: for the whole JVM, since an
     * initializer may start a thread that starts the pool. A child initializes one task's class
     * at a time, on the thread that runs its tasks.
     */
    private static volatile String initializing;

    /** The refusals so far, by the class whose initializer was refused: the JVM then reports only that it failed. */
    private static final Map<String, Refused> REFUSED = new ConcurrentHashMap<>();

    private static final ClassValue<java.util.concurrent.atomic.AtomicBoolean> INITIALIZED = new ClassValue<>() {
        @Override
        protected java.util.concurrent.atomic.AtomicBoolean computeValue(Class<?> type) {
            return new java.util.concurrent.atomic.AtomicBoolean();
        }
    };

    private Bootstrapping() {}

    /**
     * Initializes {@code taskClass} (runs its static initializers) as the child's bootstrapping
     * phase. Nothing happens for a class already initialized.
     *
     * @throws ExceptionInInitializerError if an initializer throws (a refusal among them)
     */
    static void initialize(Class<?> taskClass) throws ClassNotFoundException {
        if (INITIALIZED.get(taskClass).get()) {
            return; // a worker runs the same few tasks many times
        }
        initializing = taskClass.getName();
        try {
            Class.forName(taskClass.getName(), true, taskClass.getClassLoader());
            INITIALIZED.get(taskClass).set(true);
        } finally {
            initializing = null;
        }
    }

    /**
     * Refuses to start {@code what} ("a Pool", "a PyProcess") in a child that is initializing the
     * class of a task.
     *
     * @throws Refused saying which class, and what to write instead
     */
    public static void check(String what) {
        String initializing = Bootstrapping.initializing;
        String child = System.getProperty(WorkerMain.NAME_PROPERTY);
        if (initializing == null || child == null) {
            return;
        }
        Refused refused = new Refused(what + " cannot be started in " + child + " while it initializes "
                + initializing + " to run a task of it: every worker would start " + what.substring(what.indexOf(' ') + 1)
                + " of its own. Create it in main() or in a method that only the parent runs, not in a static field of a"
                + " class whose methods run as tasks. (Python refuses the same: \"An attempt has been made to start a new"
                + " process before the current process has finished its bootstrapping phase.\")");
        REFUSED.putIfAbsent(initializing, refused);
        throw refused;
    }

    /**
     * A task's failure as the parent should see it: a refusal, unwrapped from the initializer's
     * error the first time, and in place of the JVM's "could not initialize class" after.
     */
    static Throwable unwrap(Throwable failure) {
        if (failure instanceof ExceptionInInitializerError error && error.getCause() instanceof Refused refused) {
            return refused;
        }
        if (failure instanceof NoClassDefFoundError error && error.getMessage() != null
                && error.getMessage().startsWith("Could not initialize class ")) {
            Refused refused = REFUSED.get(error.getMessage().substring("Could not initialize class ".length()).trim());
            if (refused != null) {
                return refused;
            }
        }
        return failure;
    }
}

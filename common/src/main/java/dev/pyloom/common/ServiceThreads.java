package dev.pyloom.common;

/**
 * Where pyloom's own platform threads live (ipc's socket threads, poller and watchdog, a pool's
 * places, result handler and error copiers, asyncio's selector, debug watch and reporter of
 * unretrieved failures): a thread group of pyloom's, under the JVM's top group, not the group of
 * the program thread that happens to start them.
 *
 * <p>A launcher that runs a program inside its own JVM ({@code mvn exec:java}) ends it by
 * interrupting every thread left in the program's group and waiting for each: an interrupted
 * accept closes the socket that child processes reach this one through, an interrupted pool place
 * takes its worker for dead, a thread blocked in a pipe read ignores the interrupt and holds the
 * launcher up. pyloom's threads end with the objects they serve, or with the JVM.
 */
public final class ServiceThreads {

    private static final ThreadGroup GROUP = new ThreadGroup(top(), "pyloom");

    private ServiceThreads() {}

    /**
     * A builder of daemon platform threads in pyloom's group.
     *
     * @param name the thread's name
     * @return a builder, to be given a stack size if need be, then started
     */
    public static Thread.Builder.OfPlatform daemon(String name) {
        return Thread.ofPlatform().group(GROUP).daemon().name(name);
    }

    private static ThreadGroup top() {
        ThreadGroup group = Thread.currentThread().getThreadGroup();
        while (group.getParent() != null) {
            group = group.getParent();
        }
        return group;
    }
}

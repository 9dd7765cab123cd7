package dev.pyloom.asyncio.internal;

/**
 * Where asyncio's own platform threads live (the selector, the debug watch, the reporter of
 * unretrieved failures): a thread group of pyloom's, under the JVM's top group, not the group of
 * the program thread that happens to start them. A launcher that runs a program inside its own
 * JVM ({@code mvn exec:java}) interrupts every thread left in the program's group when it ends
 * and waits for each; these threads end with the loops they serve, or with the JVM. (The
 * {@code ipc} module has the same rule for its own threads; asyncio depends on the JDK only.)
 */
public final class ServiceThreads {

    private static final ThreadGroup GROUP = new ThreadGroup(top(), "pyloom-asyncio");

    private ServiceThreads() {}

    /** A builder of daemon platform threads in pyloom's group. */
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

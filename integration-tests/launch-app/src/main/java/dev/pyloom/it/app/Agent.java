package dev.pyloom.it.app;

/** A Java agent that does nothing but say it ran: for a pool whose workers run with -javaagent. */
public final class Agent {

    private Agent() {}

    public static void premain(String options) {
        System.setProperty("pyloom.it.agent", "loaded" + (options == null ? "" : ":" + options));
    }

    /** A task: whether the agent ran in this worker. */
    public static String agentInWorker() {
        return System.getProperty("pyloom.it.agent", "absent");
    }
}

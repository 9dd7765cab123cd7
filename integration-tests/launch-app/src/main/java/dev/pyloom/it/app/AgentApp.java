package dev.pyloom.it.app;

import dev.pyloom.multiprocessing.Pool;

/**
 * A pool whose workers run with a Java agent ({@code -javaagent:}, the jar named by the first
 * argument): every worker must start, with the agent, whether or not a class-data archive exists.
 */
public final class AgentApp {

    private AgentApp() {}

    public static void main(String[] args) throws Exception {
        try (Pool pool = Pool.builder().processes(2).jvmOptions("-javaagent:" + args[0] + "=pool").build()) {
            for (int i = 0; i < 4; i++) {
                System.out.println("agent in worker: " + pool.apply(Agent::agentInWorker));
            }
        }
    }
}

package dev.pyloom.cluster;

import dev.pyloom.multiprocessing.Pool;
import dev.pyloom.multiprocessing.PoolFailureContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Where CPython's Pool fails and pyloom's must not ({@link PoolFailureContract}) on a
 * {@link ClusterPool} of nodes in this JVM; the workers' JVM options are their nodes'.
 */
class ClusterPoolFailureContractTest extends PoolFailureContract {

    @RegisterExtension
    static final LoopbackPools pools = new LoopbackPools();

    @Override
    protected Pool newPool(int processes, String... jvmOptions) {
        return pools.pool(processes, jvmOptions);
    }

    /** The worker that ran it, and its node. */
    @Override
    protected String whereTasksRun() {
        return "PoolWorker-\\d+ \\(pid \\d+\\) on node \\S+ \\(127\\.0\\.0\\.1:\\d+\\)";
    }
}

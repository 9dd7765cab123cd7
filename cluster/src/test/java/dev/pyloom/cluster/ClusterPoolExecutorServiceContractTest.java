package dev.pyloom.cluster;

import dev.pyloom.multiprocessing.Pool;
import dev.pyloom.multiprocessing.PoolExecutorServiceContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code asExecutorService()} ({@link PoolExecutorServiceContract}) on a {@link ClusterPool} of nodes in this JVM. */
class ClusterPoolExecutorServiceContractTest extends PoolExecutorServiceContract {

    @RegisterExtension
    static final LoopbackPools pools = new LoopbackPools();

    @Override
    protected Pool newPool(int processes) {
        return pools.pool(processes);
    }
}

package dev.pyloom.cluster;

import dev.pyloom.multiprocessing.Pool;
import dev.pyloom.multiprocessing.PoolContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Pool's API against Python's ({@link PoolContract}) on a {@link ClusterPool} of nodes in this
 * JVM.
 */
class ClusterPoolContractTest extends PoolContract {

    @RegisterExtension
    static final LoopbackPools pools = new LoopbackPools();

    @Override
    protected Pool newPool(int processes) {
        return pools.pool(processes);
    }
}

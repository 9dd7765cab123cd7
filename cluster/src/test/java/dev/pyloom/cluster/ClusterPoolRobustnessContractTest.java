package dev.pyloom.cluster;

import dev.pyloom.multiprocessing.Pool;
import dev.pyloom.multiprocessing.PoolRobustnessContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The corners of the Pool's API ({@link PoolRobustnessContract}) on a {@link ClusterPool} of
 * nodes in this JVM.
 */
class ClusterPoolRobustnessContractTest extends PoolRobustnessContract {

    @RegisterExtension
    static final LoopbackPools pools = new LoopbackPools();

    @Override
    protected Pool newPool(int processes) {
        return pools.pool(processes);
    }
}

package dev.pyloom.cluster;

import dev.pyloom.multiprocessing.Pool;
import dev.pyloom.multiprocessing.PoolCancelContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code cancel(true)} and time limits ({@link PoolCancelContract}) on a {@link ClusterPool} of nodes in this JVM. */
class ClusterPoolCancelContractTest extends PoolCancelContract {

    @RegisterExtension
    static final LoopbackPools pools = new LoopbackPools();

    @Override
    protected Pool newPool(int processes) {
        return pools.pool(processes);
    }
}

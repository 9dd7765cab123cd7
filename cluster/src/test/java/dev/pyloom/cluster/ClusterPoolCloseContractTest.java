package dev.pyloom.cluster;

import dev.pyloom.multiprocessing.Pool;
import dev.pyloom.multiprocessing.PoolCloseContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code close()} and {@code shutdown()} ({@link PoolCloseContract}) on a {@link ClusterPool} of
 * nodes in this JVM.
 */
class ClusterPoolCloseContractTest extends PoolCloseContract {

    @RegisterExtension
    static final LoopbackPools pools = new LoopbackPools();

    @Override
    protected Pool newPool(int processes) {
        return pools.pool(processes);
    }
}

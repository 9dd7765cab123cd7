package dev.pyloom.cluster;

import dev.pyloom.multiprocessing.Pool;
import dev.pyloom.multiprocessing.PoolCloseContract;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code close()} and {@code shutdown()} ({@link PoolCloseContract}) on a {@link ClusterPool} of
 * nodes in this JVM.
 *
 * <p>The test disabled here fails on a cluster pool for a bug of its own: see {@link ClusterBugs}.
 */
class ClusterPoolCloseContractTest extends PoolCloseContract {

    @RegisterExtension
    static final LoopbackPools pools = new LoopbackPools();

    @Override
    protected Pool newPool(int processes) {
        return pools.pool(processes);
    }

    @Override
    @Test
    @Disabled(ClusterBugs.JOIN_BEFORE_THE_WORKERS_EXIT)
    public void tryWithResourcesRunsEveryQueuedTaskBeforeTheBlockEnds() throws Exception {
        super.tryWithResourcesRunsEveryQueuedTaskBeforeTheBlockEnds();
    }
}

package dev.pyloom.cluster;

import dev.pyloom.multiprocessing.Pool;
import dev.pyloom.multiprocessing.PoolContract;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Pool's API against Python's ({@link PoolContract}) on a {@link ClusterPool} of nodes in this
 * JVM.
 *
 * <p>The test disabled here fails on a cluster pool for a bug of its own: see {@link ClusterBugs}.
 */
class ClusterPoolContractTest extends PoolContract {

    @RegisterExtension
    static final LoopbackPools pools = new LoopbackPools();

    @Override
    protected Pool newPool(int processes) {
        return pools.pool(processes);
    }

    @Override
    @Test
    @Disabled(ClusterBugs.CANCEL_OF_A_JOB_THE_DISPATCHER_HOLDS)
    public void aQueuedTaskCanBeCancelledAndARunningOneNotWithoutInterrupting() throws Exception {
        super.aQueuedTaskCanBeCancelledAndARunningOneNotWithoutInterrupting();
    }
}

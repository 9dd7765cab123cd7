package dev.pyloom.cluster;

import dev.pyloom.multiprocessing.Pool;
import dev.pyloom.multiprocessing.PoolRobustnessContract;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The corners of the Pool's API ({@link PoolRobustnessContract}) on a {@link ClusterPool} of
 * nodes in this JVM.
 *
 * <p>The tests disabled here fail on a cluster pool for bugs of its own: see {@link ClusterBugs}.
 */
class ClusterPoolRobustnessContractTest extends PoolRobustnessContract {

    @RegisterExtension
    static final LoopbackPools pools = new LoopbackPools();

    @Override
    protected Pool newPool(int processes) {
        return pools.pool(processes);
    }

    @Override
    @Test
    @Disabled(ClusterBugs.WORKER_DIED_LOSES_ITS_FIELDS)
    public void imapGoesOnPastAWorkersDeath() throws Exception {
        super.imapGoesOnPastAWorkersDeath();
    }

    @Override
    @Test
    @Disabled(ClusterBugs.WORKER_DIED_LOSES_ITS_FIELDS)
    public void aWorkerThatDiesMidChunkFailsEachItemOfItsChunkAndTheResultsKeepTheirPositions() throws Exception {
        super.aWorkerThatDiesMidChunkFailsEachItemOfItsChunkAndTheResultsKeepTheirPositions();
    }

    @Override
    @Test
    @Disabled(ClusterBugs.CANCEL_OF_A_JOB_THE_DISPATCHER_HOLDS)
    public void aMapThatIsPartlyRunningCannotBeCancelledHalfway() throws Exception {
        super.aMapThatIsPartlyRunningCannotBeCancelledHalfway();
    }
}

package dev.pyloom.cluster;

import dev.pyloom.multiprocessing.Pool;
import dev.pyloom.multiprocessing.PoolFailureContract;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Where CPython's Pool fails and pyloom's must not ({@link PoolFailureContract}) on a
 * {@link ClusterPool} of nodes in this JVM; the workers' JVM options are their nodes'.
 *
 * <p>The tests disabled here fail on a cluster pool for bugs of its own: see {@link ClusterBugs}.
 */
class ClusterPoolFailureContractTest extends PoolFailureContract {

    @RegisterExtension
    static final LoopbackPools pools = new LoopbackPools();

    @Override
    protected Pool newPool(int processes, String... jvmOptions) {
        return pools.pool(processes, jvmOptions);
    }

    /** The node that ran it: the worker's name and pid stay on the node. */
    @Override
    protected String whereTasksRun() {
        return "node \\S+ \\(127\\.0\\.0\\.1:\\d+\\)";
    }

    @Override
    @Test
    @Disabled(ClusterBugs.ERROR_ENDS_THE_DISPATCHER)
    public void anErrorThrownWhileATasksValuesTravelFailsThatTaskAlone() throws Exception {
        super.anErrorThrownWhileATasksValuesTravelFailsThatTaskAlone();
    }

    @Override
    @ParameterizedTest(name = "a worker that {0}")
    @ValueSource(strings = {"is killed by SIGKILL", "calls System.exit(7)", "halts with status 9", "runs out of memory"})
    @Disabled(ClusterBugs.WORKER_DIED_LOSES_ITS_FIELDS)
    public void aWorkerThatDiesMidTaskFailsThatTaskAloneAndIsReplaced(String how) throws Exception {
        super.aWorkerThatDiesMidTaskFailsThatTaskAloneAndIsReplaced(how);
    }

    @Override
    @Test
    @Disabled(ClusterBugs.JOIN_BEFORE_THE_WORKERS_EXIT)
    public void aClosedPoolStartsNoWorkersAndItsWorkersExit() throws Exception {
        super.aClosedPoolStartsNoWorkersAndItsWorkersExit();
    }
}

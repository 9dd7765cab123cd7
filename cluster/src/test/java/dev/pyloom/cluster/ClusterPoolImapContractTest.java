package dev.pyloom.cluster;

import dev.pyloom.multiprocessing.Pool;
import dev.pyloom.multiprocessing.PoolImapContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code imap} and {@code imapUnordered} ({@link PoolImapContract}) on a {@link ClusterPool} of nodes in this JVM. */
class ClusterPoolImapContractTest extends PoolImapContract {

    @RegisterExtension
    static final LoopbackPools pools = new LoopbackPools();

    @Override
    protected Pool newPool(int processes) {
        return pools.pool(processes);
    }
}

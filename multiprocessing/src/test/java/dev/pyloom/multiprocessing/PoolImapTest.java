package dev.pyloom.multiprocessing;

/** {@code imap} and {@code imapUnordered} ({@link PoolImapContract}) on this machine's worker JVMs. */
class PoolImapTest extends PoolImapContract {

    @Override
    protected Pool newPool(int processes) {
        return new Pool(processes);
    }
}

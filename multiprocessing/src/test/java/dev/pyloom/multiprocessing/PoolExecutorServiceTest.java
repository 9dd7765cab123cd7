package dev.pyloom.multiprocessing;

/** {@link Pool#asExecutorService()} ({@link PoolExecutorServiceContract}) on this machine's worker JVMs. */
class PoolExecutorServiceTest extends PoolExecutorServiceContract {

    @Override
    protected Pool newPool(int processes) {
        return new Pool(processes);
    }
}

package dev.pyloom.multiprocessing.spi;

/**
 * Where the jobs of a {@linkplain PoolAccess#remotePool remote pool} run: the pool's one
 * place, standing for workers elsewhere. The pool calls it on its callers' threads; it is
 * thread-safe.
 */
public interface RemotePlaces {

    /**
     * The pool has started: take its jobs from {@code jobs} until {@link JobSource#take()}
     * returns null, hand each one's outcome back through it, and when every job taken has its
     * outcome, call {@link JobSource#finished()}. Called once.
     */
    void start(JobSource jobs);

    /**
     * How many jobs the places can run at once now (for a map's default chunk size and how
     * far an imap reads ahead); at least 1.
     */
    int capacity();

    /**
     * {@code cancel(true)} of the jobs with ids {@code firstId} to {@code firstId + count - 1}:
     * interrupt those running; those not started never start.
     */
    void interrupt(long firstId, int count);

    /**
     * {@code terminate()}: the queue is emptied already (its jobs failed); stop the jobs in flight
     * and fail them with {@link RemoteJob#abandon()}, then let {@link JobSource#take()}'s
     * null end the place. Idempotent.
     */
    void stopNow();
}

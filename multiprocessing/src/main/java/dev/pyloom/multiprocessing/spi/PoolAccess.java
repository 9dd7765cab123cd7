package dev.pyloom.multiprocessing.spi;

import dev.pyloom.multiprocessing.Pool;
import java.time.Duration;

/**
 * The two ways into a {@link Pool} that a pool across machines needs. The pool installs the one
 * implementation as its class is initialised, the shape of the JDK's {@code SharedSecrets}.
 */
public interface PoolAccess {

    /** The implementation {@link Pool} installed. */
    static PoolAccess get() {
        PoolAccess access = Holder.installed;
        if (access == null) {
            try {
                Class.forName(Pool.class.getName(), true, Pool.class.getClassLoader()); // installs it
            } catch (ClassNotFoundException impossible) {
                throw new IllegalStateException(impossible);
            }
            access = Holder.installed;
        }
        return access;
    }

    /**
     * Installs the implementation; called once, by {@link Pool}.
     *
     * @throws IllegalStateException if one is installed already
     */
    static void install(PoolAccess access) {
        synchronized (Holder.class) {
            if (Holder.installed != null) {
                throw new IllegalStateException("PoolAccess is installed already");
            }
            Holder.installed = access;
        }
    }

    /**
     * A pool with the whole {@link Pool} API whose jobs run at {@code places}, which it
     * {@linkplain RemotePlaces#start starts} before it returns. {@code kind} names it in
     * messages ({@code "ClusterPool"}).
     */
    Pool remotePool(String kind, RemotePlaces places);

    /**
     * Runs on {@code pool}'s workers a job that arrived as frames: {@code task} and
     * {@code calls} as {@link RemoteJob#task()} and {@link RemoteJob#calls()} made them,
     * {@code size} calls, {@code label} for messages, at most {@code timeLimit} (null: no limit).
     * {@code outcome} gets the worker's answer frame and the worker's name; or, if the job fails
     * here (its worker died, its time ran out, the pool was terminated), a frame with that
     * failure, as a worker writes one, and no name. Called once, on one of the pool's threads.
     *
     * @throws IllegalStateException if the pool no longer accepts work
     */
    Relay relay(Pool pool, String label, byte[] task, byte[] calls, int size, Duration timeLimit,
            Relay.Outcome outcome);

    /**
     * The answer frame a worker writes when a call throws {@code failure}: for a job refused
     * before it reaches a pool, so that the machine that sent it reads the refusal as it reads
     * a task's exception.
     */
    byte[] failureFrame(long id, Throwable failure);

    /** Where the one implementation is kept. */
    final class Holder {
        private static volatile PoolAccess installed;

        private Holder() {}
    }
}

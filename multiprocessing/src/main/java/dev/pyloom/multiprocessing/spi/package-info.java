/**
 * What a pool whose workers are elsewhere (pyloom-cluster's nodes) needs of this module: a
 * {@link dev.pyloom.multiprocessing.Pool} whose jobs go to {@link RemotePlaces} instead of this
 * machine's worker JVMs, and, on the machine that runs them, a way to hand a job that arrived as
 * frames to a local pool's workers ({@link Relay}). Exported to {@code dev.pyloom.cluster} only:
 * it is not part of the API a user programs against.
 *
 * <pre>
 *  driver JVM                                        node JVM
 *  Pool --queue--> RemotePlaces --task, calls------> Relay.run(local pool) --job frame--> worker JVM
 *  AsyncResult &lt;-- RemoteJob.answered &lt;-- outcome &lt;-- outcome frame &lt;---------------------+
 * </pre>
 *
 * <p>The frames are the local pool's own: a task reference and the calls as JSON, and an
 * answer with the results or the failure. The driver encodes and decodes; the node only relays.
 */
package dev.pyloom.multiprocessing.spi;

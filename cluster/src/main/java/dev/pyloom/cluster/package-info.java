/**
 * pyloom's {@link dev.pyloom.multiprocessing.Pool} across machines.
 *
 * <ul>
 *   <li>{@link dev.pyloom.cluster.Node}: one per machine. A Hazelcast member, and the worker JVMs
 *       that run the tasks sent to it; started from the command line with the application's
 *       class path, or in a program.</li>
 *   <li>{@link dev.pyloom.cluster.ClusterPool}: for the program that uses the nodes. It makes a
 *       {@code Pool}, with the local pool's whole API, whose tasks run on the nodes.</li>
 *   <li>{@link dev.pyloom.cluster.ClusterQueue}: a queue between programs on different machines,
 *       with pyloom-ipc's {@code Queue} API.</li>
 *   <li>{@link dev.pyloom.cluster.NodeLostException}: what a task fails with when its node is lost.</li>
 * </ul>
 *
 * <p>The README has the Python (Ray) → Java table, how to run nodes, the guarantees and the
 * security note; INTERNALS.md has the design.
 */
package dev.pyloom.cluster;

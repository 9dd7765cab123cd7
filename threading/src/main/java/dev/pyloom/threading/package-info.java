/**
 * Python's {@code threading} module, for Java 21+, on virtual threads.
 *
 * <h2>What it is for</h2>
 *
 * <p>Python's tutorial teaches threads with a handful of objects: a {@link dev.pyloom.threading.PyThread}
 * with a target, a {@link dev.pyloom.threading.Lock} around a shared balance, and, for
 * coordination, {@link dev.pyloom.threading.Condition}, {@link dev.pyloom.threading.Semaphore},
 * {@link dev.pyloom.threading.Event} and {@link dev.pyloom.threading.Barrier}. This package gives
 * a Java developer the same objects with the same guarantees, in camelCase, so that an
 * algorithm read in Python carries over line by line, and runs with real parallelism (there is no
 * global interpreter lock) on threads cheap enough to start by the ten thousand.
 *
 * <h2>How it is built</h2>
 *
 * <ul>
 *   <li><b>Virtual threads by default.</b> A {@code PyThread} is a virtual thread unless asked
 *       otherwise. Blocking in one (on a lock, a sleep, I/O) parks it and frees its carrier.</li>
 *   <li><b>No monitors.</b> Nothing here blocks inside {@code synchronized}: the primitives are
 *       built on {@link java.util.concurrent.locks.AbstractQueuedSynchronizer} and
 *       {@link java.util.concurrent.locks.LockSupport}, as {@code java.util.concurrent} is, so a
 *       waiting virtual thread never pins its carrier.</li>
 *   <li><b>Python's semantics where they differ from Java's.</b> A {@code Lock} is not
 *       reentrant and any thread may release it; a {@code Barrier} numbers arrivals from 0;
 *       the program waits for non-daemon threads even when they are virtual.</li>
 *   <li><b>Java's conventions where Python has none.</b> Timeouts are
 *       {@link java.time.Duration}s; a method that may block throws
 *       {@link java.lang.InterruptedException}; Python's {@code with lock:} is try-with-resources
 *       over {@link dev.pyloom.threading.Acquirable#hold()}; {@code wait}/{@code notify} are
 *       {@code await}/{@code signal}, because {@code java.lang.Object} owns the Python names.</li>
 * </ul>
 *
 * <p>Errors keep Python's meaning in the JDK's types: {@code RuntimeError} (releasing an
 * unlocked lock, starting a thread twice) is {@link java.lang.IllegalStateException};
 * {@code ValueError} (a negative semaphore value, a bounded semaphore released too often) is
 * {@link java.lang.IllegalArgumentException}; {@code BrokenBarrierError} is
 * {@link java.util.concurrent.BrokenBarrierException}.
 */
package dev.pyloom.threading;

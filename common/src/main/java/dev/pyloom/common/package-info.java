/**
 * Helpers pyloom's modules share, so that each rule is written once: how a {@code Duration}
 * becomes the nanoseconds the JDK waits with ({@link dev.pyloom.common.Durations}), where
 * pyloom's own platform threads live ({@link dev.pyloom.common.ServiceThreads}), and whether a
 * signal started the JVM's shutdown ({@link dev.pyloom.common.ShutdownCause}).
 *
 * <p>Internal to pyloom. The module exports this package to {@code dev.pyloom.threading},
 * {@code dev.pyloom.ipc}, {@code dev.pyloom.multiprocessing} and {@code dev.pyloom.asyncio} only;
 * nothing here is part of pyloom's API, and it may change in any release. It depends on nothing
 * but the JDK, so the modules that use it keep their own dependency lists.
 */
package dev.pyloom.common;

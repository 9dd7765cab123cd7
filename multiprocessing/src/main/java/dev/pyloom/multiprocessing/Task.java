package dev.pyloom.multiprocessing;

import java.io.Serializable;

/**
 * Work that runs in another process: a static method reference ({@code Demo::square}), or a
 * lambda, taking up to three arguments. Python's {@code func} and {@code target}.
 *
 * <p>A task travels as a <em>reference</em>, never as code: its class and method name, resolved
 * and invoked in the worker, which runs the same class path. Its arguments and result travel as
 * JSON, converted to the method's parameter types and back to its return type. A lambda travels
 * with the values it captures, which must be JSON-encodable too; one that captures something else
 * (a lock, a connection to a database, {@code this}) is refused when it is submitted, saying
 * which value it was: Python's "Can't pickle local object" as a clear exception, never a hang.
 *
 * <p>{@code Call*} tasks return a result; {@code Run*} tasks return nothing (a method reference
 * to a {@code void} method). They are {@link Serializable} only so that the JDK records what a
 * lambda refers to; pyloom never uses Java serialization.
 *
 * <p>A lambda with an expression body that is a method call, like {@code x -> f(x)}, fits both
 * a {@code Call} and a {@code Run}, and Java cannot choose: write {@code Demo::f}, or a block.
 */
public sealed interface Task {

    /** A task without arguments that returns a result. */
    @FunctionalInterface
    non-sealed interface Call0<R> extends Task, Serializable {
        R call() throws Exception;
    }

    /** A task of one argument that returns a result. */
    @FunctionalInterface
    non-sealed interface Call1<A, R> extends Task, Serializable {
        R call(A a) throws Exception;
    }

    /** A task of two arguments that returns a result. */
    @FunctionalInterface
    non-sealed interface Call2<A, B, R> extends Task, Serializable {
        R call(A a, B b) throws Exception;
    }

    /** A task of three arguments that returns a result. */
    @FunctionalInterface
    non-sealed interface Call3<A, B, C, R> extends Task, Serializable {
        R call(A a, B b, C c) throws Exception;
    }

    /** A task without arguments that returns nothing. */
    @FunctionalInterface
    non-sealed interface Run0 extends Task, Serializable {
        void run() throws Exception;
    }

    /** A task of one argument that returns nothing. */
    @FunctionalInterface
    non-sealed interface Run1<A> extends Task, Serializable {
        void run(A a) throws Exception;
    }

    /** A task of two arguments that returns nothing. */
    @FunctionalInterface
    non-sealed interface Run2<A, B> extends Task, Serializable {
        void run(A a, B b) throws Exception;
    }

    /** A task of three arguments that returns nothing. */
    @FunctionalInterface
    non-sealed interface Run3<A, B, C> extends Task, Serializable {
        void run(A a, B b, C c) throws Exception;
    }
}

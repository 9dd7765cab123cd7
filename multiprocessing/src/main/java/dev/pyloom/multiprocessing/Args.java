package dev.pyloom.multiprocessing;

/**
 * Argument lists for {@link Pool#starmap}: Python's tuples in {@code starmap(f, [(1, 2), (3, 4)])}.
 *
 * <pre>{@code
 * pool.starmap(Demo::add, List.of(Args.of(1, 2), Args.of(3, 4)));   // [3, 7]
 * }</pre>
 */
public sealed interface Args {

    /** Two arguments. */
    record Two<A, B>(A first, B second) implements Args {}

    /** Three arguments. */
    record Three<A, B, C>(A first, B second, C third) implements Args {}

    static <A, B> Two<A, B> of(A first, B second) {
        return new Two<>(first, second);
    }

    static <A, B, C> Three<A, B, C> of(A first, B second, C third) {
        return new Three<>(first, second, third);
    }
}

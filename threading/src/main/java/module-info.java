/**
 * Python's {@code threading} module for Java 21+, on virtual threads.
 *
 * <p>Only {@code dev.pyloom.threading} is exported; helpers live in
 * {@code dev.pyloom.threading.internal}, which is not.
 */
module dev.pyloom.threading {
    // pyloom's internal helpers (the rule for timeouts), exported to pyloom's modules only
    requires dev.pyloom.common;

    exports dev.pyloom.threading;
}

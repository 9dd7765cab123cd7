package dev.pyloom.examples;

import java.util.ArrayList;
import java.util.List;

/**
 * The JVM options a program that runs cluster nodes or a {@code ClusterPool} is tested with:
 * what Hazelcast asks for (it warns on standard error without it), as the examples' pom gives
 * {@code exec:exec}; and, on JDK 23 and later, leave for Hazelcast to use
 * {@code sun.misc.Unsafe}, of which JDK 24 and later warn. The pom cannot give that one, as JDK 21
 * and 22 refuse it; a test can ask which JDK runs it.
 */
public final class HazelcastOptions {

    private HazelcastOptions() {}

    /** {@code options}, then Hazelcast's. */
    public static List<String> with(String... options) {
        List<String> all = new ArrayList<>(List.of(options));
        all.addAll(List.of("--add-modules=java.se", "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
                "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-opens=java.management/sun.management=ALL-UNNAMED",
                "--add-opens=jdk.management/com.sun.management.internal=ALL-UNNAMED"));
        if (Runtime.version().feature() >= 23) {
            all.add("--sun-misc-unsafe-memory-access=allow");
        }
        return List.copyOf(all);
    }
}

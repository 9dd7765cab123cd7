package dev.pyloom.it;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs after the rest of the suite, in a JVM of its own (an execution of its own in this
 * module's POM): no JVM that the suite started is still alive. A JVM belongs to the suite if its
 * command line names this checkout (its class path does: pool workers, child processes and
 * programs all run from the build's own classes and jars), apart from this JVM and the ones that
 * started it.
 */
class NoJvmLeftIT {

    /** Processes that were already exiting when the suite ended get this long to finish. */
    private static final Duration GRACE = Duration.ofSeconds(15);

    @Test
    void noJvmTheSuiteStartedIsStillAlive() {
        String checkout = Path.of(System.getProperty("pyloom.root")).toAbsolutePath().normalize().toString();
        Set<Long> us = Stream.iterate(ProcessHandle.current(), handle -> handle.parent().orElse(null))
                .takeWhile(handle -> handle != null)
                .map(ProcessHandle::pid)
                .collect(Collectors.toSet());
        await().atMost(GRACE).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            List<String> left = ProcessHandle.allProcesses()
                    .filter(p -> !us.contains(p.pid()))
                    .filter(ProcessHandle::isAlive)
                    .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))
                    .filter(line -> line.contains("java") && line.contains(checkout))
                    .toList();
            if (!left.isEmpty()) {
                throw new AssertionError("JVMs the suite started are still alive:\n" + String.join("\n", left));
            }
        });
    }
}

package dev.pyloom.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
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
 * programs all run from the build's own classes and jars) and it started after the build did,
 * apart from this JVM and the ones that started it.
 */
class NoJvmLeftIT {

    /** Processes that were already exiting when the suite ended get this long to finish. */
    private static final Duration GRACE = Duration.ofSeconds(15);

    @Test
    void noJvmTheSuiteStartedIsStillAlive() {
        Path root = Path.of(System.getProperty("pyloom.root"));
        List<String> checkout = Stream.of(root.toAbsolutePath().normalize(), realPath(root)).map(Path::toString)
                .distinct().toList();
        List<ProcessHandle> ancestors = Stream.iterate(ProcessHandle.current(), handle -> handle.parent().orElse(null))
                .takeWhile(handle -> handle != null).toList();
        Set<Long> us = ancestors.stream().map(ProcessHandle::pid).collect(Collectors.toSet());
        // The JVM that runs the build (the oldest JVM among this one's ancestors) started before
        // anything the suite started.
        Instant buildStart = ancestors.stream().skip(1)
                .filter(p -> p.info().command().orElse("").endsWith("java"))
                .flatMap(p -> p.info().startInstant().stream())
                .min(Instant::compareTo).orElse(Instant.MIN);
        await().atMost(GRACE).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            List<String> left = ProcessHandle.allProcesses()
                    .filter(p -> !us.contains(p.pid()))
                    .filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().startInstant().map(started -> !started.isBefore(buildStart)).orElse(true))
                    .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))
                    .filter(line -> line.contains("java") && checkout.stream().anyMatch(line::contains))
                    .toList();
            if (!left.isEmpty()) {
                throw new AssertionError("JVMs the suite started are still alive:\n" + String.join("\n", left));
            }
        });
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve the checkout's directory " + path, e);
        }
    }
}

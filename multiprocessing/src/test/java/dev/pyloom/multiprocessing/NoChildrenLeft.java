package dev.pyloom.multiprocessing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** After a test class: every JVM its tests started has exited (a few seconds' grace for ones still exiting). */
final class NoChildrenLeft implements AfterAllCallback {

    @Override
    public void afterAll(ExtensionContext context) {
        await().atMost(Duration.ofSeconds(15)).until(() -> alive().isEmpty());
    }

    private static List<String> alive() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .map(child -> child.pid() + " " + child.info().commandLine().orElse("?")).toList();
    }
}

package dev.pyloom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.asyncio.EventLoop;
import dev.pyloom.common.Durations;
import dev.pyloom.it.programs.WhichStrategy;
import dev.pyloom.testing.ChildJvm;
import java.io.File;
import java.lang.module.ModuleDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The asyncio jar stands alone as a named module (beside pyloom's internal helpers), and picks its strategy from what the JVM
 * allows: the carrier strategy when {@code java.lang} is opened to it, handoff otherwise.
 */
class AsyncioModuleIT {

    private static ModuleDescriptor asyncioDescriptor() {
        return ChildJvm.moduleOf(EventLoop.class);
    }

    @Test
    void asyncioExportsOnlyItsApiPackagesAndNeedsOnlyTheJdkAndPyloomCommon() {
        ModuleDescriptor descriptor = asyncioDescriptor();
        assertEquals("dev.pyloom.asyncio", descriptor.name());
        Set<String> exported = descriptor.exports().stream()
                .map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toSet());
        assertEquals(Set.of("dev.pyloom.asyncio", "dev.pyloom.asyncio.locks", "dev.pyloom.asyncio.queues",
                "dev.pyloom.asyncio.streams", "dev.pyloom.asyncio.generators"), exported);
        assertTrue(descriptor.packages().contains("dev.pyloom.asyncio.internal"));
        Set<String> required = descriptor.requires().stream()
                .map(ModuleDescriptor.Requires::name)
                .collect(Collectors.toSet());
        assertEquals(Set.of("java.base", "jdk.jfr", "dev.pyloom.common"), required,
                "the JDK (jdk.jfr for the loop's JFR event) and pyloom's internal helpers only");
    }

    private static ChildJvm.Result runOnTheModulePath(String... jvmOptions) throws Exception {
        List<String> command = new ArrayList<>(List.of(ChildJvm.javaBinary()));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of(
                "--module-path", ChildJvm.locationOf(EventLoop.class) + File.pathSeparator
                        + ChildJvm.locationOf(Durations.class),
                "--add-modules", "dev.pyloom.asyncio",
                "-cp", ChildJvm.locationOf(WhichStrategy.class).toString(),
                WhichStrategy.class.getName()));
        return ChildJvm.run(command);
    }

    @Test
    void withJavaLangOpenedToTheModuleTheCarrierStrategyIsChosen() throws Exception {
        ChildJvm.Result result = runOnTheModulePath("--add-opens", "java.base/java.lang=dev.pyloom.asyncio");
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals(List.of("module: dev.pyloom.asyncio", "strategy: CARRIER", "gathered: 3"), result.stdoutLines());
    }

    @Test
    void withoutTheFlagTheLoopFallsBackToHandoff() throws Exception {
        ChildJvm.Result result = runOnTheModulePath();
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals(List.of("module: dev.pyloom.asyncio", "strategy: HANDOFF", "gathered: 3"), result.stdoutLines());
    }

    @Test
    void thePropertyForcesHandoffEvenWhenTheCarrierIsAvailable() throws Exception {
        ChildJvm.Result result = runOnTheModulePath("--add-opens", "java.base/java.lang=dev.pyloom.asyncio",
                "-Dpyloom.asyncio.strategy=handoff");
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals("strategy: HANDOFF", result.stdoutLines().get(1));
    }
}

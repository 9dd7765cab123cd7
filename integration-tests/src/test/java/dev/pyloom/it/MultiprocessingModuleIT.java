package dev.pyloom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.common.Durations;
import dev.pyloom.ipc.Pipe;
import dev.pyloom.it.programs.PoolOnModulePath;
import dev.pyloom.multiprocessing.Pool;
import dev.pyloom.testing.ChildJvm;
import java.io.File;
import java.lang.module.ModuleDescriptor;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.JsonNode;

/**
 * The multiprocessing jar stands alone as a named module on top of ipc, and a program on the
 * module path gets working pools and processes: their children are started on the same module
 * path, with the program's class path.
 */
class MultiprocessingModuleIT {

    @Test
    void exportsOnlyItsApiPackageAndNeedsOnlyIpcPyloomCommonAndTheJdk() {
        ModuleDescriptor descriptor = ChildJvm.moduleOf(Pool.class);
        assertEquals("dev.pyloom.multiprocessing", descriptor.name());
        assertEquals(Set.of("dev.pyloom.multiprocessing"), descriptor.exports().stream()
                .filter(exports -> !exports.isQualified())
                .map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        // what a pool across machines needs of a pool, for pyloom-cluster alone
        assertEquals(Set.of("dev.pyloom.multiprocessing.spi -> [dev.pyloom.cluster]"), descriptor.exports().stream()
                .filter(ModuleDescriptor.Exports::isQualified)
                .map(exports -> exports.source() + " -> " + exports.targets()).collect(Collectors.toSet()));
        // java.management: a child JVM gets this JVM's module options, read from the runtime's MXBean;
        // jdk.jfr: the pool's JFR events; dev.pyloom.common: pyloom's internal helpers
        assertEquals(Set.of("java.base", "java.management", "jdk.jfr", "dev.pyloom.ipc", "dev.pyloom.common"),
                descriptor.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()));
        assertTrue(descriptor.requires().stream().anyMatch(r -> r.name().equals("dev.pyloom.ipc")
                && r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE)),
                "ipc comes along: its queues and pipes are part of the API");
    }

    @Test
    void poolsAndProcessesWorkFromTheModulePath() throws Exception {
        String modulePath = Stream.of(Pool.class, Pipe.class, Durations.class, JsonNode.class, JsonParser.class,
                        com.fasterxml.jackson.annotation.JsonProperty.class)
                .map(type -> ChildJvm.locationOf(type).toString())
                .collect(Collectors.joining(File.pathSeparator));
        ChildJvm.Result result = ChildJvm.run(List.of(ChildJvm.javaBinary(),
                "--module-path", modulePath,
                "--add-modules", "dev.pyloom.multiprocessing",
                "-cp", ChildJvm.locationOf(PoolOnModulePath.class).toString(),
                PoolOnModulePath.class.getName()));
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals(List.of("module: dev.pyloom.multiprocessing", "cubes: [1, 8, 27, 64]", "Cuber computed 125"),
                result.stdoutLines());
    }
}

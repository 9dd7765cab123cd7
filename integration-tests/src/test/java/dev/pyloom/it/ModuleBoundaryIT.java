package dev.pyloom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.common.Durations;
import dev.pyloom.it.programs.WhichModule;
import dev.pyloom.testing.ChildJvm;
import dev.pyloom.threading.Lock;
import java.io.File;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Each module stands alone: a user who depends on one gets one named module that exports its API
 * package, needs nothing it does not say it needs (the JDK, Jackson for ipc, and pyloom's
 * internal {@code dev.pyloom.common}), and works on the module path.
 */
class ModuleBoundaryIT {

    private static ModuleDescriptor threadingDescriptor() {
        return ChildJvm.moduleOf(Lock.class);
    }

    @Test
    void threadingExportsOnlyItsApiPackage() {
        ModuleDescriptor descriptor = threadingDescriptor();
        assertEquals("dev.pyloom.threading", descriptor.name());
        Set<String> exported = descriptor.exports().stream()
                .map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toSet());
        assertEquals(Set.of("dev.pyloom.threading"), exported);
        assertTrue(descriptor.opens().isEmpty(), "nothing is opened for reflection");
    }

    @Test
    void threadingNeedsOnlyTheJdkAndPyloomCommon() {
        Set<String> required = threadingDescriptor().requires().stream()
                .map(ModuleDescriptor.Requires::name)
                .collect(Collectors.toSet());
        assertEquals(Set.of("java.base", "dev.pyloom.common"), required);
    }

    @Test
    void pyloomCommonNeedsOnlyTheJdkAndExportsToPyloomsModulesOnly() {
        ModuleDescriptor descriptor = ChildJvm.moduleOf(Durations.class);
        assertEquals("dev.pyloom.common", descriptor.name());
        assertEquals(Set.of("java.base"), descriptor.requires().stream()
                .map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()));
        assertEquals(1, descriptor.exports().size(), descriptor.exports().toString());
        ModuleDescriptor.Exports exports = descriptor.exports().iterator().next();
        assertEquals("dev.pyloom.common", exports.source());
        assertEquals(Set.of("dev.pyloom.threading", "dev.pyloom.ipc", "dev.pyloom.multiprocessing", "dev.pyloom.asyncio",
                "dev.pyloom.cluster"),
                exports.targets(), "exported to pyloom's own modules, never to a program");
        assertTrue(descriptor.opens().isEmpty(), "nothing is opened for reflection");
    }

    @Test
    void ipcExportsOnlyItsApiPackageAndNeedsOnlyJacksonAndPyloomCommon() {
        ModuleDescriptor descriptor = ChildJvm.moduleOf(dev.pyloom.ipc.Pipe.class);
        assertEquals("dev.pyloom.ipc", descriptor.name());
        assertEquals(Set.of("dev.pyloom.ipc"), descriptor.exports().stream().filter(e -> !e.isQualified())
                .map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        assertEquals(Set.of("java.base", "tools.jackson.databind", "dev.pyloom.common"), descriptor.requires().stream()
                .map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()));
        assertTrue(descriptor.packages().contains("dev.pyloom.ipc.internal"), "the internals exist");
        assertTrue(descriptor.exports().stream().filter(ModuleDescriptor.Exports::isQualified)
                .allMatch(e -> e.targets().equals(Set.of("dev.pyloom.multiprocessing"))),
                "exported to pyloom's multiprocessing only, for its exit order: " + descriptor.exports());
    }

    @Test
    void theThreadingJarRunsAsANamedModule() throws Exception {
        Path threading = ChildJvm.locationOf(Lock.class);
        Path common = ChildJvm.locationOf(Durations.class);
        Path programs = ChildJvm.locationOf(WhichModule.class);
        ChildJvm.Result result = ChildJvm.run(List.of(ChildJvm.javaBinary(),
                "--module-path", threading + File.pathSeparator + common,
                "--add-modules", "dev.pyloom.threading",
                "-cp", programs.toString(),
                WhichModule.class.getName()));
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals(List.of("module: dev.pyloom.threading", "counted: 1000"), result.stdoutLines());
    }
}

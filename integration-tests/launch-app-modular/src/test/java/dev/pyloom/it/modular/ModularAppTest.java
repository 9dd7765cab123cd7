package dev.pyloom.it.modular;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pyloom.multiprocessing.Pool;
import dev.pyloom.multiprocessing.Task;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pools in the tests of a modular project, as Surefire runs them: the test classes patched into
 * the module and opened to the unnamed module only. The workers must get the same module path,
 * the same patch and access for pyloom to invoke the tests' own methods and lambdas.
 */
class ModularAppTest {

    static int cube(int x) {
        return x * x * x;
    }

    @Test
    void theTestsOwnMethodsAndLambdasRunInWorkers() throws Exception {
        assertEquals("dev.pyloom.it.modular", ModularAppTest.class.getModule().getName(), "a patched module");
        int base = 10;
        try (Pool pool = new Pool(2)) {
            assertEquals(List.of(1, 8, 27), pool.map(ModularAppTest::cube, List.of(1, 2, 3)));
            assertEquals(List.of(11, 12), pool.map((Task.Call1<Integer, Integer>) x -> x + base, List.of(1, 2)));
            assertEquals(new ModularApp.Reading("t", 3.0), pool.apply(ModularApp::calibrated, new ModularApp.Reading("t", 1.5)));
            assertEquals("PoolWorker-N in module dev.pyloom.it.modular", pool.apply(ModularApp::where));
        }
    }
}

package dev.pyloom.it.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pyloom.multiprocessing.Pool;
import dev.pyloom.multiprocessing.Task;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pools in a test, with the test's own methods and lambdas as tasks: the workers must find the
 * test classes wherever Surefire put them (a manifest-only jar when forked, its own class loader
 * in Maven's JVM with forkCount=0).
 */
class AppTest {

    static int cube(int x) {
        return x * x * x;
    }

    @Test
    void theTestsOwnMethodsAndLambdasRunInWorkers() throws Exception {
        int base = 10;
        try (Pool pool = new Pool(2)) {
            assertEquals(List.of(1, 8, 27), pool.map(AppTest::cube, List.of(1, 2, 3)));
            assertEquals(List.of(11, 12), pool.map((Task.Call1<Integer, Integer>) x -> x + base, List.of(1, 2)));
            assertEquals(new App.Order("tea", 6), pool.apply(App::doubled, new App.Order("tea", 3)));
        }
    }
}

package dev.pyloom.it.programs;

import dev.pyloom.ipc.Queue;
import dev.pyloom.multiprocessing.Pool;
import dev.pyloom.multiprocessing.PyProcess;
import java.util.List;

/**
 * A program that uses the multiprocessing module from the module path: a pool of two workers
 * maps a task, and a process puts what it computed on a queue. Prints where the API came from
 * and what came back.
 */
public final class PoolOnModulePath {

    private PoolOnModulePath() {}

    public static int cube(int x) {
        return x * x * x;
    }

    public static void report(Queue<String> out, int x) throws Exception {
        out.put(PyProcess.current().name() + " computed " + cube(x));
    }

    public static void main(String[] args) throws Exception {
        System.out.println("module: " + Pool.class.getModule().getName());
        Pool pool = new Pool(2);
        System.out.println("cubes: " + pool.map(PoolOnModulePath::cube, List.of(1, 2, 3, 4)));
        pool.close();
        pool.join();
        try (Queue<String> out = Queue.of(String.class)) {
            PyProcess child = PyProcess.builder().name("Cuber").target(PoolOnModulePath::report, out, 5).build();
            child.start();
            System.out.println(out.get());
            child.join();
        }
    }
}

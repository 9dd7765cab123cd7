package dev.pyloom.benchmarks;

import dev.pyloom.multiprocessing.Pool;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The tutorial's program as most users run it, start to finish: make a pool, map, exit. The
 * twin of {@code python/oneshot.py}; timed as a whole process.
 *
 * <pre>java -cp ... dev.pyloom.benchmarks.OneShot [ITEMS]</pre>
 */
public final class OneShot {

    private OneShot() {}

    static int square(int x) {
        return x * x;
    }

    public static void main(String[] args) throws Exception {
        int items = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        try (Pool pool = new Pool(4)) {
            List<Integer> squares = pool.map(OneShot::square, IntStream.range(0, items).boxed().toList());
            System.out.println(squares.get(items - 1));
        }
    }
}

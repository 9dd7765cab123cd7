package dev.pyloom.it.app;

import dev.pyloom.multiprocessing.Pool;
import dev.pyloom.multiprocessing.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The application every launch shape runs: a pool of two workers maps one of the application's
 * methods, a capturing lambda and a record through them, and prints what came back. The tests
 * compare its output line by line, so it prints nothing that differs from run to run.
 */
public final class App {

    private App() {}

    /** A record of the application's own, decoded in the worker and in the parent. */
    public record Order(String item, int quantity) {}

    static int square(int x) {
        return x * x;
    }

    static Order doubled(Order order) {
        return new Order(order.item(), order.quantity() * 2);
    }

    public static void main(String[] args) throws Exception {
        int offset = 100;
        List<String> lines = new ArrayList<>();
        try (Pool pool = new Pool(2)) {
            lines.add("squares: " + pool.map(App::square, List.of(1, 2, 3, 4)));
            lines.add("offsets: " + pool.map((Task.Call1<Integer, Integer>) x -> x + offset, List.of(1, 2, 3)));
            lines.add("orders: " + pool.apply(App::doubled, new Order("tea", 3)));
            List<Integer> called = new CopyOnWriteArrayList<>();
            pool.applyAsync(App::square, 9, called::add, null).get();
            lines.add("callback: " + called);
            lines.add("worker: " + pool.apply(App::workerName));
        }
        lines.forEach(System.out::println);
    }

    static String workerName() {
        return dev.pyloom.multiprocessing.PyProcess.current().name().replaceAll("\\d+", "N");
    }
}

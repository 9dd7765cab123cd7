package dev.pyloom.it.modular;

import dev.pyloom.multiprocessing.Pool;
import dev.pyloom.multiprocessing.PyProcess;
import dev.pyloom.multiprocessing.Task;
import java.util.ArrayList;
import java.util.List;

/** The modular application: a pool of two maps a method, a capturing lambda and a record. */
public final class ModularApp {

    private ModularApp() {}

    /** A record of the module's own. */
    public record Reading(String sensor, double value) {}

    static int square(int x) {
        return x * x;
    }

    static Reading calibrated(Reading reading) {
        return new Reading(reading.sensor(), reading.value() * 2);
    }

    static String where() {
        return PyProcess.current().name().replaceAll("\\d+", "N") + " in module " + ModularApp.class.getModule().getName();
    }

    public static void main(String[] args) throws Exception {
        int offset = 100;
        List<String> lines = new ArrayList<>();
        try (Pool pool = new Pool(2)) {
            lines.add("squares: " + pool.map(ModularApp::square, List.of(1, 2, 3, 4)));
            lines.add("offsets: " + pool.map((Task.Call1<Integer, Integer>) x -> x + offset, List.of(1, 2, 3)));
            lines.add("readings: " + pool.apply(ModularApp::calibrated, new Reading("t1", 1.5)));
            lines.add("worker: " + pool.apply(ModularApp::where));
        }
        lines.forEach(System.out::println);
    }
}

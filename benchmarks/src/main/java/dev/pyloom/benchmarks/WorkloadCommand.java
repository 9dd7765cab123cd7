package dev.pyloom.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The command line every workload program shares: {@code MAIN WORKLOAD [--quick]}, running one
 * workload and printing its figures as one {@code key=value} line for {@link SideBySide}.
 */
final class WorkloadCommand {

    /** Runs one workload, at full size or at {@code --quick} size. */
    interface Runner {
        Map<String, Double> run(String workload, boolean quick) throws Exception;
    }

    private WorkloadCommand() {}

    static void main(String[] args, String usage, Runner runner) throws Exception {
        List<String> names = new ArrayList<>();
        boolean quick = false;
        for (String arg : args) {
            if (arg.equals("--quick")) {
                quick = true;
            } else {
                names.add(arg);
            }
        }
        if (names.size() != 1) {
            System.err.println("usage: " + usage);
            System.exit(2);
        }
        System.out.println(KeyValues.format(runner.run(names.get(0), quick)));
    }
}

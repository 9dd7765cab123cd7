package dev.pyloom.examples;

import dev.pyloom.examples.asyncio.Hello;
import dev.pyloom.examples.asyncio.ProducerConsumer;
import dev.pyloom.examples.asyncio.Wget;
import dev.pyloom.examples.cluster.PoolOnTwoNodes;
import dev.pyloom.examples.multiprocessing.ChildProcess;
import dev.pyloom.examples.multiprocessing.PoolOfFour;
import dev.pyloom.examples.multiprocessing.QueueBetweenProcesses;
import dev.pyloom.examples.recipe.LoopsPerCore;
import dev.pyloom.examples.recipe.ProcessesAndCoroutines;
import dev.pyloom.examples.threading.LoopThread;
import dev.pyloom.examples.threading.SharedBalance;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The tutorial tour: every example program, in the tutorial's order, each under a one-line
 * heading. Threads first, then processes (the Pool program twice: on this machine's workers, and
 * on two cluster nodes' workers), then coroutines, and last the tutorial's closing recipe
 * (processes with coroutines inside each) beside its one-JVM counterpart.
 *
 * <pre>
 * ./mvnw -q -pl examples -am -DskipTests package exec:exec                       # the whole tour
 * ./mvnw -q -pl examples -am -DskipTests package exec:exec -Dtour=pool           # one program
 * ./mvnw -q -pl examples -am -DskipTests package exec:exec -Dtour="hello wget"   # some, in that order
 * </pre>
 *
 * <p>A name the tour does not know prints the names it does know, on standard error, and the
 * tour exits with status 2 without running anything. Every program is also a class with a
 * {@code main} of its own, runnable without the tour ({@code -Dexample=} with its class name).
 */
public final class Tour {

    /** A program's {@code main} method. */
    @FunctionalInterface
    interface Main {
        void run(String[] args) throws Exception;
    }

    /** One stop of the tour: the name that selects it, what its heading says, and its program. */
    record Program(String name, String heading, Main main) {}

    /** The tour's programs, in the tutorial's order. */
    static final List<Program> PROGRAMS = List.of(
            new Program("thread",
                    "threading: a thread named LoopThread, started and joined by MainThread",
                    LoopThread::main),
            new Program("balance",
                    "threading: two threads change a shared balance, without and with a Lock",
                    SharedBalance::main),
            new Program("process",
                    "multiprocessing: a child process runs a function",
                    ChildProcess::main),
            new Program("pool",
                    "multiprocessing: a Pool of four workers runs five tasks with applyAsync; the fifth waits",
                    PoolOfFour::main),
            new Program("cluster-pool",
                    "cluster: the same Pool program on a ClusterPool, two nodes of two workers each; the fifth waits",
                    PoolOnTwoNodes::main),
            new Program("queue",
                    "multiprocessing: a writer and a reader process share a Queue",
                    QueueBetweenProcesses::main),
            new Program("generator",
                    "coroutines: a generator consumer; the producer sends it work and gets replies",
                    ProducerConsumer::main),
            new Program("hello",
                    "asyncio: hello() awaits sleep(1); two of them on one loop take one second, not two",
                    Hello::main),
            new Program("wget",
                    "asyncio: wget, three coroutines fetch three sites' headers at once (servers on 127.0.0.1)",
                    Wget::main),
            new Program("processes-coroutines",
                    "processes + coroutines: a Pool with one task per core, each an event loop of thousands of fetches",
                    ProcessesAndCoroutines::main),
            new Program("loops-per-core",
                    "the same in one JVM: an event loop per core on platform threads, thousands of fetches each",
                    LoopsPerCore::main));

    /** Exit status when a name is not one of the tour's. */
    static final int UNKNOWN_NAME = 2;

    private Tour() {}

    /**
     * Runs the programs {@code args} names, in the order given, or every program when there is no
     * argument.
     */
    public static void main(String[] args) throws Exception {
        List<Program> chosen = new ArrayList<>();
        for (String name : args) {
            Optional<Program> program = find(name);
            if (program.isEmpty()) {
                listPrograms(System.err, name);
                System.exit(UNKNOWN_NAME);
            }
            chosen.add(program.get());
        }
        for (Program program : chosen.isEmpty() ? PROGRAMS : chosen) {
            System.out.println();
            System.out.println(heading(program));
            program.main().run(new String[0]);
        }
    }

    /** The line above a program's output: {@code == 4. pool - multiprocessing: ... ==}. */
    static String heading(Program program) {
        return "== " + (PROGRAMS.indexOf(program) + 1) + ". " + program.name() + " - " + program.heading() + " ==";
    }

    static Optional<Program> find(String name) {
        return PROGRAMS.stream().filter(program -> program.name().equals(name)).findFirst();
    }

    private static void listPrograms(PrintStream out, String unknown) {
        out.printf("The tour has no program named \"%s\". Its programs, in order:%n", unknown);
        for (Program program : PROGRAMS) {
            out.printf("  %-22s %s%n", program.name(), program.heading());
        }
        out.println("Name one or more (with Maven: -Dtour=pool, or -Dtour=\"hello wget\"); none runs them all.");
    }
}

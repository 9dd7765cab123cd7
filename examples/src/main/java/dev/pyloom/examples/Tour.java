package dev.pyloom.examples;

import dev.pyloom.examples.asyncio.Hello;
import dev.pyloom.examples.asyncio.ProducerConsumer;
import dev.pyloom.examples.asyncio.Wget;
import dev.pyloom.examples.multiprocessing.ChildProcess;
import dev.pyloom.examples.multiprocessing.PoolOfFour;
import dev.pyloom.examples.multiprocessing.QueueBetweenProcesses;
import dev.pyloom.examples.threading.LoopThread;
import dev.pyloom.examples.threading.SharedBalance;

/**
 * The tutorial tour: every example program, in the tutorial's order, each under a heading.
 * {@code ./mvnw -q -pl examples -am -DskipTests package exec:exec} runs it; {@code -Dexample=}
 * with a program's class name runs just that one.
 */
public final class Tour {

    private Tour() {}

    public static void main(String[] args) throws Exception {
        section("multiprocessing: a child process runs a function");
        ChildProcess.main(args);

        section("multiprocessing: a Pool of four workers runs five tasks; the fifth waits for a free worker");
        PoolOfFour.main(args);

        section("multiprocessing: a writer and a reader process share a Queue");
        QueueBetweenProcesses.main(args);

        section("threading: a thread named LoopThread, started and joined by MainThread");
        LoopThread.main(args);

        section("threading: two threads change a shared balance, without and with a Lock");
        SharedBalance.main(args);

        section("asyncio: a generator consumer; the producer sends it work and gets replies");
        ProducerConsumer.main(args);

        section("asyncio: hello() awaits sleep(1); two of them on one loop take one second, not two");
        Hello.main(args);

        section("asyncio: wget — three coroutines fetch three sites' headers at once (servers on 127.0.0.1)");
        Wget.main(args);
    }

    private static void section(String title) {
        System.out.println();
        System.out.println("== " + title + " ==");
    }
}

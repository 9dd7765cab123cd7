package dev.pyloom.examples.asyncio;

import dev.pyloom.asyncio.generators.Generator;
import java.io.PrintStream;

/**
 * The tutorial's first coroutine: a consumer written as a generator, to which the producer sends
 * work and from which it gets a reply, the two taking turns in one flow of control, without a
 * lock. In Python:
 *
 * <pre>
 * def consumer():
 *     r = ''
 *     while True:
 *         n = yield r
 *         if not n:
 *             return
 *         print('[CONSUMER] Consuming %s...' % n)
 *         r = '200 OK'
 *
 * def produce(c):
 *     c.send(None)
 *     n = 0
 *     while n &lt; 5:
 *         n = n + 1
 *         print('[PRODUCER] Producing %s...' % n)
 *         r = c.send(n)
 *         print('[PRODUCER] Consumer return: %s' % r)
 *     c.close()
 *
 * c = consumer()
 * produce(c)
 * </pre>
 */
public final class ProducerConsumer {

    private final PrintStream out;

    ProducerConsumer(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        new ProducerConsumer(System.out).run();
    }

    void run() {
        produce(consumer());
    }

    private Generator<String, Integer, Void> consumer() {
        return new Generator<>(y -> {
            String r = "";
            while (true) {
                Integer n = y.yield(r);
                if (n == null) {
                    return null;
                }
                out.printf("[CONSUMER] Consuming %s...%n", n);
                r = "200 OK";
            }
        });
    }

    private void produce(Generator<String, Integer, Void> c) {
        c.send(null);
        int n = 0;
        while (n < 5) {
            n = n + 1;
            out.printf("[PRODUCER] Producing %s...%n", n);
            String r = c.send(n);
            out.printf("[PRODUCER] Consumer return: %s%n", r);
        }
        c.close();
    }
}

package dev.pyloom.asyncio.generators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.asyncio.LoopContract;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@link Generator}: the generator protocol of CPython's {@code test_generators} (PEP 342). */
class GeneratorTest {

    /** Yields 0, 1, ... n-1 and returns "done". */
    private static Generator<Integer, Object, String> counter(int n) {
        return new Generator<>(y -> {
            for (int i = 0; i < n; i++) {
                y.yield(i);
            }
            return "done";
        });
    }

    /** Echoes what is sent, doubled, until it is sent a negative number. */
    private static Generator<Integer, Integer, Integer> doubler() {
        return new Generator<>(y -> {
            Integer received = y.yield(0);
            while (received >= 0) {
                received = y.yield(received * 2);
            }
            return received;
        });
    }

    @Test
    void aForEachLoopRunsTheGeneratorOnceAsPythonsForDoes() {
        Generator<Integer, Object, String> g = counter(4);
        List<Integer> seen = new ArrayList<>();
        for (int value : g) {
            seen.add(value);
            if (value == 1) {
                break;
            }
        }
        for (int value : g) { // goes on from where the first loop stopped
            seen.add(value);
        }
        assertEquals(List.of(0, 1, 2, 3), seen);
        assertEquals("done", g.returnValue());
    }

    @Test
    void sendResumesTheBodyAndReturnsWhatItYieldsNext() {
        Generator<Integer, Integer, Integer> g = doubler();
        assertEquals(0, g.send(null));
        assertEquals(42, g.send(21));
        assertEquals(4, g.send(2));
    }

    @Test
    void theFirstSendMustBeNull() { // "can't send non-None value to a just-started generator"
        assertThrows(IllegalArgumentException.class, () -> doubler().send(1));
    }

    @Test
    void aReturningBodyEndsWithStopIterationCarryingItsValue() {
        Generator<Integer, Integer, Integer> g = doubler();
        g.send(null);
        StopIterationException end = assertThrows(StopIterationException.class, () -> g.send(-7));
        assertEquals(-7, end.value());
        assertEquals(-7, g.returnValue());
    }

    @Test
    void anEndedGeneratorKeepsRaisingStopIteration() {
        Generator<Integer, Object, String> g = counter(0);
        assertThrows(StopIterationException.class, g::next);
        StopIterationException again = assertThrows(StopIterationException.class, () -> g.send(null));
        assertEquals(null, again.value());
    }

    @Test
    void itIsAnIteratorOfTheYieldedValues() {
        List<Integer> values = new ArrayList<>();
        Generator<Integer, Object, String> g = counter(4);
        g.forEachRemaining(values::add);
        assertEquals(List.of(0, 1, 2, 3), values);
        assertFalse(g.hasNext());
        assertThrows(NoSuchElementException.class, g::next);
        assertEquals("done", g.returnValue());
    }

    @Test
    void hasNextLooksAheadWithoutLosingTheValue() {
        Generator<Integer, Object, String> g = counter(2);
        assertTrue(g.hasNext());
        assertTrue(g.hasNext());
        assertEquals(0, g.next());
        assertEquals(1, g.next());
        assertFalse(g.hasNext());
    }

    @Test
    void throwIntoRaisesAtTheYieldAndReturnsTheNextValueIfCaught() { // PEP 342 throw()
        Generator<String, Object, Void> g = new Generator<>(y -> {
            try {
                y.yield("waiting");
            } catch (IllegalStateException e) {
                y.yield("caught " + e.getMessage());
            }
            return null;
        });
        g.next();
        assertEquals("caught boom", g.throwInto(new IllegalStateException("boom")));
    }

    @Test
    void anExceptionThrownIntoAndNotCaughtComesBackAndEndsTheGenerator() {
        Generator<Integer, Object, String> g = counter(3);
        g.next();
        IllegalStateException boom = new IllegalStateException("boom");
        assertSame(boom, assertThrows(IllegalStateException.class, () -> g.throwInto(boom)));
        assertThrows(StopIterationException.class, g::next);
    }

    @Test
    void anExceptionInTheBodyComesOutOfSend() {
        Generator<Integer, Object, Void> g = new Generator<>(y -> {
            y.yield(1);
            throw new ArithmeticException("bad");
        });
        g.next();
        assertThrows(ArithmeticException.class, g::next);
        assertThrows(StopIterationException.class, g::next);
    }

    @Test
    void closeRunsTheBodysFinallyBlocks() { // PEP 342 close()
        List<String> ran = new ArrayList<>();
        Generator<Integer, Object, Void> g = new Generator<>(y -> {
            try {
                while (true) {
                    y.yield(1);
                }
            } finally {
                ran.add("finally");
            }
        });
        g.next();
        g.close();
        assertEquals(List.of("finally"), ran);
        assertThrows(StopIterationException.class, g::next);
    }

    @Test
    void closingAGeneratorThatNeverStartedRunsNothing() {
        AtomicBoolean ran = new AtomicBoolean();
        Generator<Integer, Object, Void> g = new Generator<>(y -> {
            ran.set(true);
            return null;
        });
        g.close();
        assertFalse(ran.get());
        assertThrows(StopIterationException.class, g::next);
    }

    @Test
    void aBodyThatYieldsAfterGeneratorExitMakesCloseThrow() { // "generator ignored GeneratorExit"
        Generator<Integer, Object, Void> g = new Generator<>(y -> {
            try {
                y.yield(1);
            } catch (GeneratorExit ignored) {
                y.yield(2);
            }
            return null;
        });
        g.next();
        assertThrows(IllegalStateException.class, g::close);
    }

    @Test
    void catchingExceptionDoesNotSwallowGeneratorExit() {
        List<String> ran = new ArrayList<>();
        Generator<Integer, Object, Void> g = new Generator<>(y -> {
            try {
                y.yield(1);
            } catch (Exception e) {
                ran.add("caught as Exception");
            }
            return null;
        });
        g.next();
        g.close();
        assertEquals(List.of(), ran);
    }

    @Test
    void sendingFromInsideTheBodyIsRejected() { // "generator already executing"
        AtomicReference<Generator<Integer, Object, Void>> self = new AtomicReference<>();
        self.set(new Generator<>(y -> {
            self.get().next();
            return null;
        }));
        assertThrows(IllegalStateException.class, () -> self.get().next());
    }

    @Test
    void theTutorialsProducerAndConsumerTakeTurns() {
        List<String> lines = new ArrayList<>();
        Generator<String, Integer, Void> consumer = new Generator<>(y -> {
            String r = "";
            while (true) {
                Integer n = y.yield(r);
                if (n == null) {
                    return null;
                }
                lines.add("[CONSUMER] Consuming " + n + "...");
                r = "200 OK";
            }
        });
        consumer.send(null);
        for (int n = 1; n <= 2; n++) {
            lines.add("[PRODUCER] Producing " + n + "...");
            lines.add("[PRODUCER] Consumer return: " + consumer.send(n));
        }
        consumer.close();
        assertEquals(List.of(
                "[PRODUCER] Producing 1...", "[CONSUMER] Consuming 1...", "[PRODUCER] Consumer return: 200 OK",
                "[PRODUCER] Producing 2...", "[CONSUMER] Consuming 2...", "[PRODUCER] Consumer return: 200 OK"), lines);
    }

    @Test
    void anAbandonedGeneratorIsClosedAndItsThreadEnds() {
        AtomicReference<Thread> bodyThread = new AtomicReference<>();
        AtomicBoolean finallyRan = new AtomicBoolean();
        startAndDrop(bodyThread, finallyRan);
        LoopContract.awaitUntil(() -> {
            System.gc();
            return finallyRan.get() && !bodyThread.get().isAlive();
        });
    }

    private static void startAndDrop(AtomicReference<Thread> bodyThread, AtomicBoolean finallyRan) {
        Generator<Integer, Object, Void> g = new Generator<>(y -> {
            bodyThread.set(Thread.currentThread());
            try {
                while (true) {
                    y.yield(1);
                }
            } finally {
                finallyRan.set(true);
            }
        });
        g.next(); // suspended in yield, then unreachable
    }

    @Test
    void generatorExitIsAnErrorSoCatchExceptionLeavesItAlone() {
        assertInstanceOf(Error.class, new GeneratorExit());
    }
}

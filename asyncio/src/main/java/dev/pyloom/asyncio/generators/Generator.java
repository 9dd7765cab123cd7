package dev.pyloom.asyncio.generators;

import dev.pyloom.asyncio.internal.CarrierThreads;
import dev.pyloom.asyncio.internal.Rethrow;
import dev.pyloom.asyncio.internal.Turn;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * A generator: Python's generator object, the tutorial's first kind of coroutine, with
 * {@code send}, {@code throw} and {@code close}, built on a virtual thread.
 *
 * <p>The body runs on a virtual thread of its own, but never at the same time as its caller:
 * {@link #send} hands it a value and waits; the body runs until it calls
 * {@link Yielder#yield(Object) yield(value)}, which hands {@code value} back as {@code send}'s
 * result and waits for the next {@code send}, whose value {@code yield} then returns. When the
 * body returns, {@code send} throws {@link StopIterationException} carrying the return value.
 *
 * <pre>{@code
 * Generator<String, Integer, Void> consumer = new Generator<>(y -> {   // def consumer():
 *     String r = "";                                                     //     r = ''
 *     while (true) {                                                     //     while True:
 *         Integer n = y.yield(r);                                        //         n = yield r
 *         if (n == null) return null;                                    //         if not n: return
 *         System.out.println("[CONSUMER] Consuming " + n + "...");
 *         r = "200 OK";
 *     }
 * });
 * consumer.send(null);                  // c.send(None): runs the body to its first yield
 * String reply = consumer.send(1);      // prints "[CONSUMER] Consuming 1...", returns "200 OK"
 * consumer.close();
 * }</pre>
 *
 * <p>It is also an {@link Iterator} of the yielded values ({@code next()} sends null);
 * {@link #hasNext()} looks ahead by running the body to its next yield.
 *
 * <p>A generator that is dropped while suspended in {@code yield} does not keep its thread
 * forever: once the generator object is unreachable, a {@link Cleaner} closes it as
 * {@link #close()} would, so the body's {@code finally} blocks run and its thread ends.
 *
 * <p>One caller at a time: a {@code send} while the body runs (from the body itself, or another
 * thread) throws {@link IllegalStateException}, Python's "generator already executing".
 *
 * @param <Y> the type of the values the body yields
 * @param <S> the type of the values sent in
 * @param <R> the type of the body's return value
 */
public final class Generator<Y, S, R> implements Iterator<Y>, Iterable<Y>, AutoCloseable {

    /** A generator's body: Python's generator function. */
    @FunctionalInterface
    public interface Body<Y, S, R> {
        /** Runs the body; {@code yielder} is how it yields. Its return value ends the iteration. */
        R run(Yielder<Y, S> yielder) throws Exception;
    }

    /** How a body yields: Python's {@code yield} expression. */
    public interface Yielder<Y, S> {
        /**
         * Hands {@code value} to the caller of {@code send}/{@code next} and suspends the body until
         * it is resumed. Python's {@code received = yield value}.
         *
         * @return the value of the next {@code send} (null for {@code next()})
         * @throws GeneratorExit if the generator is being closed; let it propagate
         */
        S yield(Y value);
    }

    /** The shared Cleaner's thread is started on first use. */
    private static final class Cleanup {
        static final Cleaner CLEANER = Cleaner.create();
    }

    /** Bodies run on ordinary virtual threads, even when a coroutine creates the generator. */
    private static final java.util.concurrent.ThreadFactory THREADS = CarrierThreads.ordinary().factory();

    private final Channel<Y, S, R> channel;
    private final Cleaner.Cleanable cleanable;
    private boolean lookedAhead; // hasNext() ran the body to its next yield; only the caller touches it
    private Y lookahead;

    /** A generator that will run {@code body}; nothing runs until the first {@code send} or {@code next}. */
    public Generator(Body<Y, S, R> body) {
        this.channel = new Channel<>(Objects.requireNonNull(body, "body"));
        // The action holds the channel, never this object, or it could never become unreachable.
        this.cleanable = Cleanup.CLEANER.register(this, channel::abandon);
    }

    /**
     * Resumes the body with {@code value} and returns the next value it yields. Python's
     * {@code gen.send(value)}; the first call must send null (Python's "can't send non-None value
     * to a just-started generator"). Blocks the caller while the body runs.
     *
     * @throws StopIterationException   if the body returns (carrying its value), or had already ended
     * @throws IllegalArgumentException if the first value sent is not null
     * @throws IllegalStateException    if the body is running already, or after {@link #hasNext()}
     *                                  looked ahead (call {@code next()} first)
     */
    public Y send(S value) {
        if (lookedAhead) {
            throw new IllegalStateException("send() after hasNext() ran the generator ahead; call next() first");
        }
        return resume(Mode.SEND, value);
    }

    /**
     * The next yielded value: {@code send(null)}, or the value {@link #hasNext()} found. Python's
     * {@code next(gen)}.
     *
     * @throws StopIterationException (a {@link NoSuchElementException}) if the body has returned
     */
    @Override
    public Y next() {
        if (lookedAhead) {
            lookedAhead = false;
            Y value = lookahead;
            lookahead = null;
            return value;
        }
        return resume(Mode.SEND, null);
    }

    /**
     * This generator itself, for a for-each loop: {@code for (Y value : generator)}, as Python's
     * {@code for value in gen}. Like Python's generator, it can be iterated once: a second loop
     * goes on from where the first stopped.
     */
    @Override
    public Iterator<Y> iterator() {
        return this;
    }

    /**
     * Whether the body yields another value, finding out by running it to its next yield (as
     * {@code next()} would; the value is kept for {@code next()}).
     */
    @Override
    public boolean hasNext() {
        if (lookedAhead) {
            return true;
        }
        if (channel.state == State.CLOSED) {
            return false;
        }
        try {
            lookahead = resume(Mode.SEND, null);
            lookedAhead = true;
            return true;
        } catch (StopIterationException end) {
            return false;
        }
    }

    /**
     * Throws {@code exception} inside the body, at its {@code yield}, and returns the next value
     * it yields if it catches it. Python's {@code gen.throw(exc)}. Thrown into a generator that
     * has not started or has ended, the exception comes straight back.
     *
     * @throws StopIterationException if the body returns
     */
    public Y throwInto(Throwable exception) {
        Objects.requireNonNull(exception, "exception");
        return resume(Mode.THROW, exception);
    }

    /**
     * Closes the generator: {@link GeneratorExit} is thrown at the body's {@code yield}, so its
     * {@code finally} blocks run. Python's {@code gen.close()}. Does nothing if it has ended or
     * never started.
     *
     * @throws IllegalStateException if the body yields again instead of ending (Python's
     *                               "generator ignored GeneratorExit"), or is running
     */
    @Override
    public void close() {
        lookedAhead = false;
        lookahead = null;
        try {
            resume(Mode.CLOSE, null);
            throw new IllegalStateException("generator ignored GeneratorExit");
        } catch (StopIterationException ended) {
            // the body returned: closed
        }
    }

    /**
     * The body's return value, once it has returned. Python's {@code StopIteration.value}.
     *
     * @throws IllegalStateException if the body has not returned (still running, or it failed or was closed)
     */
    public R returnValue() {
        if (!channel.returned) {
            throw new IllegalStateException("the generator has not returned");
        }
        return channel.returnValue;
    }

    private Y resume(Mode mode, Object input) {
        try {
            return channel.resume(mode, input);
        } finally {
            if (channel.state == State.CLOSED) {
                cleanable.clean(); // nothing left to clean up; forget the registration
            }
            Reference.reachabilityFence(this); // the Cleaner must not close it while we use it
        }
    }

    private enum Mode { SEND, THROW, CLOSE }

    /*
     * state: CREATED -> RUNNING      the first resume starts the body's thread
     *        RUNNING -> SUSPENDED    the body yields
     *        SUSPENDED -> RUNNING    resume
     *        RUNNING -> CLOSED       the body returns or throws (GeneratorExit included)
     *        CREATED -> CLOSED       close() or throwInto() before it started
     */
    private enum State { CREATED, RUNNING, SUSPENDED, CLOSED }

    private enum Outcome { YIELDED, RETURNED, RAISED }

    /**
     * What the caller and the body share: the state, one message each way, and the two turns.
     * It must not refer to the Generator (see the Cleaner), and the body sees only this object.
     */
    private static final class Channel<Y, S, R> implements Yielder<Y, S> {

        private final Body<Y, S, R> body;
        private final Turn bodyTurn = new Turn();
        private final Turn callerTurn = new Turn();
        private Thread thread;
        volatile State state = State.CREATED;
        /** Set by the Cleaner: nobody will ever resume the body again, so it is driven to its end. */
        private volatile boolean abandoned;

        // Caller -> body, written before bodyTurn.grant(); body -> caller, written before callerTurn.grant().
        private Mode mode;
        private Object input;
        private Outcome outcome;
        private Object output;

        boolean returned;
        R returnValue;

        Channel(Body<Y, S, R> body) {
            this.body = body;
        }

        @SuppressWarnings("unchecked")
        Y resume(Mode newMode, Object newInput) {
            switch (state) {
                case RUNNING -> throw new IllegalStateException("generator already executing");
                case CLOSED -> {
                    if (newMode == Mode.THROW) {
                        throw Rethrow.<RuntimeException>unchecked((Throwable) newInput);
                    }
                    throw new StopIterationException(null);
                }
                case CREATED -> {
                    if (newMode != Mode.SEND) {
                        state = State.CLOSED;
                        if (newMode == Mode.THROW) {
                            throw Rethrow.<RuntimeException>unchecked((Throwable) newInput);
                        }
                        throw new StopIterationException(null);
                    }
                    if (newInput != null) {
                        throw new IllegalArgumentException("can't send non-null value to a just-started generator");
                    }
                }
                default -> { }
            }
            mode = newMode;
            input = newInput;
            state = State.RUNNING;
            callerTurn.setOwner(Thread.currentThread());
            if (thread == null) {
                thread = THREADS.newThread(this::runBody);
                bodyTurn.setOwner(thread);
                thread.start();
            } else {
                bodyTurn.grant();
            }
            callerTurn.await();
            Object result = output;
            output = null;
            switch (outcome) {
                case YIELDED -> {
                    state = State.SUSPENDED;
                    return (Y) result;
                }
                case RETURNED -> {
                    state = State.CLOSED;
                    throw new StopIterationException(result);
                }
                default -> {
                    state = State.CLOSED;
                    throw Rethrow.<RuntimeException>unchecked((Throwable) result);
                }
            }
        }

        /** The body's virtual thread. */
        @SuppressWarnings("unchecked")
        private void runBody() {
            try {
                R value = body.run(this);
                returnValue = value;
                returned = true;
                finish(Outcome.RETURNED, value);
            } catch (GeneratorExit exit) {
                finish(mode == Mode.CLOSE ? Outcome.RETURNED : Outcome.RAISED, mode == Mode.CLOSE ? null : exit);
            } catch (Throwable failure) {
                finish(Outcome.RAISED, failure);
            }
        }

        private void finish(Outcome how, Object value) {
            outcome = how;
            output = value;
            if (!abandoned) {
                callerTurn.grant();
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public S yield(Y value) {
            if (Thread.currentThread() != thread) {
                throw new IllegalStateException("yield() called outside the generator's body");
            }
            if (abandoned) {
                throw new GeneratorExit(); // nobody will resume us: run to the end
            }
            outcome = Outcome.YIELDED;
            output = value;
            callerTurn.grant();
            bodyTurn.await();
            return switch (mode) {
                case SEND -> (S) input;
                case THROW -> throw Rethrow.<RuntimeException>unchecked((Throwable) input);
                case CLOSE -> throw new GeneratorExit();
            };
        }

        /** The Cleaner's action: the generator is unreachable; end a body suspended in yield. */
        void abandon() {
            if (state == State.SUSPENDED) {
                abandoned = true;
                mode = Mode.CLOSE;
                bodyTurn.grant();
            }
        }
    }
}

package dev.pyloom.asyncio;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every contract suite shares: a fresh loop of the strategy under test for each test, closed
 * after it. A concrete suite per strategy says which ({@code Carrier...Test}, {@code Handoff...Test}),
 * as CPython's {@code test_asyncio} runs one suite per event loop implementation.
 */
@SuppressWarnings("exports") // JUnit's annotations, on a test base the concept packages' suites extend
public abstract class LoopContract {

    /** Generous bounds: they only matter when a test is about to fail anyway. */
    protected static final Duration PATIENCE = Duration.ofSeconds(30);

    /** Long enough never to elapse during a test. */
    protected static final Duration FOREVER = Duration.ofHours(1);

    protected EventLoop loop;

    protected LoopContract() {}

    protected abstract Strategy strategy();

    @BeforeEach
    protected void newLoop() {
        loop = new EventLoop(strategy());
    }

    @AfterEach
    protected void closeLoop() {
        if (!loop.isRunning()) {
            loop.close();
        }
    }

    protected <T> T run(Coroutine<T> coroutine) throws Exception {
        return loop.run(coroutine);
    }

    protected void run(VoidCoroutine coroutine) throws Exception {
        loop.run(coroutine);
    }

    protected static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    /** Waits until {@code condition} holds, polling every millisecond; fails after {@link #PATIENCE}. */
    public static void awaitUntil(Callable<Boolean> condition) {
        await().atMost(PATIENCE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).until(condition);
    }
}

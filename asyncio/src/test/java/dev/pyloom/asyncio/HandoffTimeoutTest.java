package dev.pyloom.asyncio;

/** {@link TimeoutContract} on the handoff strategy. */
class HandoffTimeoutTest extends TimeoutContract {

    @Override
    Strategy strategy() {
        return Strategy.HANDOFF;
    }
}

package dev.pyloom.asyncio;

/** {@link TimeoutContract} on the handoff strategy. */
class HandoffTimeoutTest extends TimeoutContract {

    @Override
    protected Strategy strategy() {
        return Strategy.HANDOFF;
    }
}

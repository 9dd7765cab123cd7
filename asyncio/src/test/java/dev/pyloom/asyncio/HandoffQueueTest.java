package dev.pyloom.asyncio;

/** {@link QueueContract} on the handoff strategy. */
class HandoffQueueTest extends QueueContract {

    @Override
    Strategy strategy() {
        return Strategy.HANDOFF;
    }
}

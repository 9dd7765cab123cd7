package dev.pyloom.asyncio.queues;

import dev.pyloom.asyncio.Strategy;

/** {@link QueueContract} on the handoff strategy. */
class HandoffQueueTest extends QueueContract {

    @Override
    protected Strategy strategy() {
        return Strategy.HANDOFF;
    }
}

package dev.pyloom.asyncio.queues;

import dev.pyloom.asyncio.Strategy;

/** {@link QueueContract} on the carrier strategy. */
class CarrierQueueTest extends QueueContract {

    @Override
    protected Strategy strategy() {
        return Strategy.CARRIER;
    }
}

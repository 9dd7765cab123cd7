package dev.pyloom.asyncio;

/** {@link QueueContract} on the carrier strategy. */
class CarrierQueueTest extends QueueContract {

    @Override
    Strategy strategy() {
        return Strategy.CARRIER;
    }
}

package dev.pyloom.asyncio;

/** {@link TimeoutContract} on the carrier strategy. */
class CarrierTimeoutTest extends TimeoutContract {

    @Override
    protected Strategy strategy() {
        return Strategy.CARRIER;
    }
}

package dev.pyloom.asyncio;

/** {@link TimeoutContract} on the carrier strategy. */
class CarrierTimeoutTest extends TimeoutContract {

    @Override
    Strategy strategy() {
        return Strategy.CARRIER;
    }
}

package dev.pyloom.asyncio;

/** {@link TaskContract} on the carrier strategy. */
class CarrierTaskTest extends TaskContract {

    @Override
    Strategy strategy() {
        return Strategy.CARRIER;
    }
}

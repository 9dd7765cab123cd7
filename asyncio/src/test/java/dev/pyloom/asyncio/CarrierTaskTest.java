package dev.pyloom.asyncio;

/** {@link TaskContract} on the carrier strategy. */
class CarrierTaskTest extends TaskContract {

    @Override
    protected Strategy strategy() {
        return Strategy.CARRIER;
    }
}

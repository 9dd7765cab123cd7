package dev.pyloom.asyncio;

/** {@link TaskGroupContract} on the carrier strategy. */
class CarrierTaskGroupTest extends TaskGroupContract {

    @Override
    protected Strategy strategy() {
        return Strategy.CARRIER;
    }
}

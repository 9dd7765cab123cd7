package dev.pyloom.asyncio;

/** {@link DebugContract} on the carrier strategy. */
class CarrierDebugTest extends DebugContract {

    @Override
    protected Strategy strategy() {
        return Strategy.CARRIER;
    }
}

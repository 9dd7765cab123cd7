package dev.pyloom.asyncio;

/** {@link DebugContract} on the carrier strategy. */
class CarrierDebugTest extends DebugContract {

    @Override
    Strategy strategy() {
        return Strategy.CARRIER;
    }
}

package dev.pyloom.asyncio;

/** {@link NeverRetrievedContract} on the carrier strategy. */
class CarrierNeverRetrievedTest extends NeverRetrievedContract {

    @Override
    Strategy strategy() {
        return Strategy.CARRIER;
    }
}

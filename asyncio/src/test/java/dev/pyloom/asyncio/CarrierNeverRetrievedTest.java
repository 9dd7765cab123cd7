package dev.pyloom.asyncio;

/** {@link NeverRetrievedContract} on the carrier strategy. */
class CarrierNeverRetrievedTest extends NeverRetrievedContract {

    @Override
    protected Strategy strategy() {
        return Strategy.CARRIER;
    }
}

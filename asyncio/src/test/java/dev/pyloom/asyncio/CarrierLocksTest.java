package dev.pyloom.asyncio;

/** {@link LocksContract} on the carrier strategy. */
class CarrierLocksTest extends LocksContract {

    @Override
    Strategy strategy() {
        return Strategy.CARRIER;
    }
}

package dev.pyloom.asyncio.locks;

import dev.pyloom.asyncio.Strategy;

/** {@link LocksContract} on the carrier strategy. */
class CarrierLocksTest extends LocksContract {

    @Override
    protected Strategy strategy() {
        return Strategy.CARRIER;
    }
}

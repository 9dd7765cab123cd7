package dev.pyloom.asyncio.streams;

import dev.pyloom.asyncio.Strategy;

/** {@link SubprocessContract} on the carrier strategy. */
class CarrierSubprocessTest extends SubprocessContract {

    @Override
    protected Strategy strategy() {
        return Strategy.CARRIER;
    }
}

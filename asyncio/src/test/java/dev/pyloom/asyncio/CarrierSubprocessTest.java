package dev.pyloom.asyncio;

/** {@link SubprocessContract} on the carrier strategy. */
class CarrierSubprocessTest extends SubprocessContract {

    @Override
    Strategy strategy() {
        return Strategy.CARRIER;
    }
}

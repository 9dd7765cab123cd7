package dev.pyloom.asyncio;

/** {@link EventLoopContract} on the carrier strategy. */
class CarrierEventLoopTest extends EventLoopContract {

    @Override
    protected Strategy strategy() {
        return Strategy.CARRIER;
    }
}

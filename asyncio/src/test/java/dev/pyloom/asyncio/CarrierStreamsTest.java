package dev.pyloom.asyncio;

/** {@link StreamsContract} on the carrier strategy. */
class CarrierStreamsTest extends StreamsContract {

    @Override
    Strategy strategy() {
        return Strategy.CARRIER;
    }
}

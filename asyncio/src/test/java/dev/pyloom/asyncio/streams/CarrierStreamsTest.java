package dev.pyloom.asyncio.streams;

import dev.pyloom.asyncio.Strategy;

/** {@link StreamsContract} on the carrier strategy. */
class CarrierStreamsTest extends StreamsContract {

    @Override
    protected Strategy strategy() {
        return Strategy.CARRIER;
    }
}

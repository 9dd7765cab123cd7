package dev.pyloom.asyncio.streams;

import dev.pyloom.asyncio.Strategy;

/** {@link StreamsContract} on the handoff strategy. */
class HandoffStreamsTest extends StreamsContract {

    @Override
    protected Strategy strategy() {
        return Strategy.HANDOFF;
    }
}

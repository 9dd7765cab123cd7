package dev.pyloom.asyncio;

/** {@link StreamsContract} on the handoff strategy. */
class HandoffStreamsTest extends StreamsContract {

    @Override
    Strategy strategy() {
        return Strategy.HANDOFF;
    }
}

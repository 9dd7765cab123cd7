package dev.pyloom.asyncio;

/** {@link DebugContract} on the handoff strategy. */
class HandoffDebugTest extends DebugContract {

    @Override
    Strategy strategy() {
        return Strategy.HANDOFF;
    }
}

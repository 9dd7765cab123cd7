package dev.pyloom.asyncio;

/** {@link DebugContract} on the handoff strategy. */
class HandoffDebugTest extends DebugContract {

    @Override
    protected Strategy strategy() {
        return Strategy.HANDOFF;
    }
}

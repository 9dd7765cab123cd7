package dev.pyloom.asyncio;

/** {@link NeverRetrievedContract} on the handoff strategy. */
class HandoffNeverRetrievedTest extends NeverRetrievedContract {

    @Override
    protected Strategy strategy() {
        return Strategy.HANDOFF;
    }
}

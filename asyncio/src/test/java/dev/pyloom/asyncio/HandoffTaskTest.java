package dev.pyloom.asyncio;

/** {@link TaskContract} on the handoff strategy. */
class HandoffTaskTest extends TaskContract {

    @Override
    protected Strategy strategy() {
        return Strategy.HANDOFF;
    }
}

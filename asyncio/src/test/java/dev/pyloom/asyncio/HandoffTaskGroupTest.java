package dev.pyloom.asyncio;

/** {@link TaskGroupContract} on the handoff strategy. */
class HandoffTaskGroupTest extends TaskGroupContract {

    @Override
    protected Strategy strategy() {
        return Strategy.HANDOFF;
    }
}

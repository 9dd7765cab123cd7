package dev.pyloom.asyncio;

/** {@link LocksContract} on the handoff strategy. */
class HandoffLocksTest extends LocksContract {

    @Override
    Strategy strategy() {
        return Strategy.HANDOFF;
    }
}

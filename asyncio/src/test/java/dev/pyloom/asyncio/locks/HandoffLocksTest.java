package dev.pyloom.asyncio.locks;

import dev.pyloom.asyncio.Strategy;

/** {@link LocksContract} on the handoff strategy. */
class HandoffLocksTest extends LocksContract {

    @Override
    protected Strategy strategy() {
        return Strategy.HANDOFF;
    }
}

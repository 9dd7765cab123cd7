package dev.pyloom.asyncio.streams;

import dev.pyloom.asyncio.Strategy;

/** {@link SubprocessContract} on the handoff strategy. */
class HandoffSubprocessTest extends SubprocessContract {

    @Override
    protected Strategy strategy() {
        return Strategy.HANDOFF;
    }
}

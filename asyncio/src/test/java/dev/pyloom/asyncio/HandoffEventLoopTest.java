package dev.pyloom.asyncio;

/** {@link EventLoopContract} on the handoff strategy. */
class HandoffEventLoopTest extends EventLoopContract {

    @Override
    Strategy strategy() {
        return Strategy.HANDOFF;
    }
}

package dev.pyloom.asyncio;

/** {@link EventLoopContract} on the handoff strategy. */
class HandoffEventLoopTest extends EventLoopContract {

    @Override
    protected Strategy strategy() {
        return Strategy.HANDOFF;
    }
}

package dev.pyloom.asyncio;

/** {@link SubprocessContract} on the handoff strategy. */
class HandoffSubprocessTest extends SubprocessContract {

    @Override
    Strategy strategy() {
        return Strategy.HANDOFF;
    }
}

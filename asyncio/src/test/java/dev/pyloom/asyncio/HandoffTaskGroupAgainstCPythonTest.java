package dev.pyloom.asyncio;

/** {@link TaskGroupAgainstCPythonContract} on the handoff strategy. */
class HandoffTaskGroupAgainstCPythonTest extends TaskGroupAgainstCPythonContract {

    @Override
    protected Strategy strategy() {
        return Strategy.HANDOFF;
    }
}

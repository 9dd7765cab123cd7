package dev.pyloom.asyncio;

/** {@link TaskGroupAgainstCPythonContract} on the handoff strategy. */
class HandoffTaskGroupAgainstCPythonTest extends TaskGroupAgainstCPythonContract {

    @Override
    Strategy strategy() {
        return Strategy.HANDOFF;
    }
}

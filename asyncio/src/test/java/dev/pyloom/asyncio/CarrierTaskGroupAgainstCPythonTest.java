package dev.pyloom.asyncio;

/** {@link TaskGroupAgainstCPythonContract} on the carrier strategy. */
class CarrierTaskGroupAgainstCPythonTest extends TaskGroupAgainstCPythonContract {

    @Override
    protected Strategy strategy() {
        return Strategy.CARRIER;
    }
}

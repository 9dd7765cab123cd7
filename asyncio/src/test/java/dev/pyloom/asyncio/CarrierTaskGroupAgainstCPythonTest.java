package dev.pyloom.asyncio;

/** {@link TaskGroupAgainstCPythonContract} on the carrier strategy. */
class CarrierTaskGroupAgainstCPythonTest extends TaskGroupAgainstCPythonContract {

    @Override
    Strategy strategy() {
        return Strategy.CARRIER;
    }
}

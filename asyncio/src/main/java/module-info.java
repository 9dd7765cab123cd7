/**
 * Python's {@code asyncio} for Java 21+: an event loop whose coroutines are virtual threads.
 *
 * <p>The core, {@code dev.pyloom.asyncio}, and a package per concept are exported
 * ({@code .locks}, {@code .queues}, {@code .streams}, {@code .generators}); helpers live in
 * {@code dev.pyloom.asyncio.internal}, which is not. The carrier strategy needs
 * {@code --add-opens java.base/java.lang=dev.pyloom.asyncio} on the module path
 * ({@code =ALL-UNNAMED} on the class path); without it every loop uses the handoff strategy.
 */
module dev.pyloom.asyncio {
    // pyloom's internal helpers (the rule for delays, its service threads, the cause of a shutdown)
    requires dev.pyloom.common;
    // the JFR event for a step that held a loop too long (LoopStepEvent)
    requires jdk.jfr;

    exports dev.pyloom.asyncio;
    exports dev.pyloom.asyncio.locks;
    exports dev.pyloom.asyncio.queues;
    exports dev.pyloom.asyncio.generators;
    exports dev.pyloom.asyncio.streams;
}

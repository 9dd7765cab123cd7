package dev.pyloom.asyncio;

/**
 * Receives the errors an event loop cannot hand to anybody else (a callback that threw):
 * Python's {@code loop.set_exception_handler(handler)}, whose handler is
 * {@code handler(loop, context)}.
 */
@FunctionalInterface
public interface ExceptionHandler {

    /** Handles one error. Runs on the loop; an exception it throws is reported by the default handler. */
    void handle(EventLoop loop, ExceptionContext context);
}

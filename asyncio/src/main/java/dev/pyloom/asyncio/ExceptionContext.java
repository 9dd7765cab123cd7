package dev.pyloom.asyncio;

/**
 * What the loop tells its exception handler: Python's context dict, as a record.
 *
 * @param message   what happened, always present
 * @param exception the exception, or null
 * @param future    the future or task concerned, or null
 * @param handle    the callback concerned, or null
 */
public record ExceptionContext(String message, Throwable exception, Future<?> future, Handle handle) {}

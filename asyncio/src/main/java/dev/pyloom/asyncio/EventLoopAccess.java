package dev.pyloom.asyncio;

import dev.pyloom.asyncio.internal.LoopAccess;
import java.io.IOException;

/** The core's side of {@link LoopAccess}: each hook is the loop's own package-private method. */
final class EventLoopAccess implements LoopAccess {

    @Override
    public EventLoop running(String what) {
        return EventLoop.running(what);
    }

    @Override
    public EventLoop coroutineLoop(String what) {
        return EventLoop.currentTask(what).loop;
    }

    @Override
    public void awaitDone(String what, Future<?> future) {
        EventLoop.currentTask(what).awaitDone(future);
    }

    @Override
    public void requireLoopThread(EventLoop loop, String what) {
        loop.requireLoopThread(what);
    }

    @Override
    public boolean callSoonThreadsafeIfOpen(EventLoop loop, Runnable callback) {
        return loop.callSoonThreadsafeIfOpen(callback);
    }

    @Override
    public boolean remember(EventLoop loop, AutoCloseable resource) {
        return loop.resources.remember(resource);
    }

    @Override
    public void forget(EventLoop loop, AutoCloseable resource) {
        loop.resources.forget(resource);
    }

    @Override
    public int openResources(EventLoop loop) {
        return loop.resources.count();
    }

    @Override
    public <R extends AutoCloseable> R attachment(EventLoop loop, Class<R> kind, Factory<R> create) throws IOException {
        return loop.attachment(kind, create);
    }
}

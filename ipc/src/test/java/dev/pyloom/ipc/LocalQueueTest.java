package dev.pyloom.ipc;

/** The queue contract on the owner's own objects. */
class LocalQueueTest extends QueueContract {

    @Override
    <T> Queue<T> view(Queue<T> owner, Class<T> type) {
        return owner;
    }

    @Override
    <T> JoinableQueue<T> view(JoinableQueue<T> owner, Class<T> type) {
        return owner;
    }
}

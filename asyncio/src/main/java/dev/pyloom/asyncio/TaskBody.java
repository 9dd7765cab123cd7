package dev.pyloom.asyncio;

/**
 * The body of a task's virtual thread: runs the task's coroutine. It is also the one object a
 * {@link TaskScheduler} keeps per task: the carrier scheduler's {@code TaskThread} extends it to be the
 * thread's scheduler too, and the handoff scheduler queues it as the task's step.
 */
class TaskBody implements Runnable {

    final Task<?> task;

    TaskBody(Task<?> task) {
        this.task = task;
    }

    @Override
    public final void run() {
        task.runCoroutine();
    }
}

package dev.pyloom.asyncio;

import java.util.ArrayList;
import java.util.List;

/**
 * The tasks of a loop that are not done, newest first: CPython's {@code _all_tasks}, which it
 * keeps weakly; here they are held strongly, so that a task nobody references is not lost to the
 * garbage collector with its virtual thread parked forever. An intrusive doubly linked list
 * through {@link Task#next} and {@link Task#previous}: no node object per task (a million
 * sleeping tasks count every byte). Only touched on the loop.
 */
final class LiveTasks {

    private Task<?> first;

    void add(Task<?> task) {
        task.next = first;
        if (first != null) {
            first.previous = task;
        }
        first = task;
    }

    /** Forgets a task that is done. */
    void remove(Task<?> task) {
        if (task.previous != null) {
            task.previous.next = task.next;
        } else if (first == task) {
            first = task.next;
        }
        if (task.next != null) {
            task.next.previous = task.previous;
        }
        task.previous = null;
        task.next = null;
    }

    boolean isEmpty() {
        return first == null;
    }

    /** The newest task not done, or null. */
    Task<?> newest() {
        return first;
    }

    /** Every task not done, newest first. */
    List<Task<?>> toList() {
        List<Task<?>> all = new ArrayList<>();
        for (Task<?> task = first; task != null; task = task.next) {
            all.add(task);
        }
        return all;
    }
}

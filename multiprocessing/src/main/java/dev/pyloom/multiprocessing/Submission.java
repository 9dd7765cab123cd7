package dev.pyloom.multiprocessing;

import dev.pyloom.multiprocessing.internal.TaskRef;
import tools.jackson.databind.ObjectReader;

/**
 * What every job of one submission (an {@code apply}, a {@code map}) shares: its task, resolved
 * and encoded once, and how its results are read.
 *
 * @param ref     the task
 * @param task    the task as JSON, ready for the job frames
 * @param results reads a job's results as a list of the task's result type
 */
record Submission(TaskRef ref, byte[] task, ObjectReader results) {

    /** {@code Demo::square}, for messages. */
    String describe() {
        return ref.describe();
    }
}

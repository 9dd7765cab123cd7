package dev.pyloom.multiprocessing;

import dev.pyloom.multiprocessing.internal.TaskRef;
import dev.pyloom.multiprocessing.internal.Wire;

/**
 * What every job of one submission (an {@code apply}, a {@code map}) shares: its task, resolved
 * and encoded once, and how its results are read.
 *
 * @param pool    the pool's name
 * @param ref     the task
 * @param task    the task as JSON, ready for the job frames
 * @param results how a job's results are read
 */
record Submission(String pool, TaskRef ref, byte[] task, Wire.Results results) {

    /** {@code Demo::square}, for messages. */
    String describe() {
        return ref.describe();
    }
}

package dev.pyloom.multiprocessing;

import dev.pyloom.multiprocessing.internal.Wire;

/**
 * What every job of one submission (an {@code apply}, a {@code map}) shares: its task, resolved
 * and encoded once, and how its results are read.
 *
 * @param pool    the pool's name
 * @param label   the task as messages name it: {@code Demo::square}
 * @param task    the task as JSON, ready for the job frames
 * @param results how a job's results are read; null for a job relayed from another machine,
 *                whose answer goes back there undecoded
 */
record Submission(String pool, String label, byte[] task, Wire.Results results) {

    /** {@code Demo::square}, for messages. */
    String describe() {
        return label;
    }
}

package dev.pyloom.multiprocessing;

import dev.pyloom.multiprocessing.internal.Protocol;
import dev.pyloom.multiprocessing.internal.TaskRef;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A job waiting for (or held by) a worker: the task, the argument lists of its calls (one, or a
 * map chunk), and the sink its outcome goes to.
 */
record PendingJob(long id, TaskRef task, List<List<JsonNode>> calls, Sink sink, int chunkIndex) {

    /** Where a job's outcome goes; called on the pool's result-handler thread. */
    interface Sink {
        /** The job's calls all returned; their results, as JSON, in order. */
        void succeeded(PendingJob job, List<JsonNode> results);

        /** The job failed: a task's exception, its worker's death, or the pool's termination. */
        void failed(PendingJob job, Throwable failure);
    }

    Protocol.Job toJob() {
        return new Protocol.Job(id, task, calls);
    }
}

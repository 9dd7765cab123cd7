package dev.pyloom.cluster;

/**
 * Why some of the Pool's contract tests are disabled on a cluster pool: bugs of its own, found by
 * them and not yet fixed. With a fix, remove its constant and the overrides that name it.
 */
final class ClusterBugs {

    private ClusterBugs() {}

    static final String ERROR_ENDS_THE_DISPATCHER = "bug: an Error thrown while a job's arguments are encoded"
            + " (ClusterPlaces.send catches only RuntimeException and OutOfMemoryError) ends the pool's dispatcher:"
            + " that job never completes, and no later job is sent";

    static final String WORKER_DIED_LOSES_ITS_FIELDS = "bug: a WorkerDiedException from a node is re-created from"
            + " its message alone (RemoteFailures fills its constructor's other parameters with zeros): exit code 0,"
            + " no worker name or pid, a garbled message";

    static final String CANCEL_OF_A_JOB_THE_DISPATCHER_HOLDS = "bug: cancel(false) of a task that has not started"
            + " returns false when the dispatcher has already taken it from the queue to wait for a free worker"
            + " (ClusterPlaces.dispatch takes the next job before a worker is free): the task is not cancelled, and"
            + " runs; it depends on timing, so the test fails now and then";

    static final String JOIN_BEFORE_THE_WORKERS_EXIT = "bug: close() and join() return before the nodes' workers have"
            + " exited (a node ends the driver's session, and kills its workers, on a thread of its own once the"
            + " driver has disconnected)";
}

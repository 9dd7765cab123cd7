package dev.pyloom.it.programs;

/** What a worker of {@link JoinableWorker} says about an item: which worker, at which stage, which item. */
public record Progress(String worker, String stage, int item) {

    public static final String HOLDING = "holding";
    public static final String FINISHED = "finished";
}

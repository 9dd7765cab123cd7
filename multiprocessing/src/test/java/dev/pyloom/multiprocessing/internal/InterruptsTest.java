package dev.pyloom.multiprocessing.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A worker's side of {@code cancel(true)}: an interrupt for a job not yet started keeps it from
 * starting, whatever its id's order (a job put back after a worker died comes after higher ids);
 * one for a job that has finished touches nothing.
 */
class InterruptsTest {

    @Test
    void aJobCancelledBeforeItStartsNeverStartsEvenWhenAHigherIdRanFirst() {
        assertTrue(Interrupts.starting(1_007));
        Interrupts.finished();
        Interrupts.command(Interrupts.COMMAND + 1_005);
        assertFalse(Interrupts.starting(1_005), "cancelled before it started");
        assertTrue(Interrupts.starting(1_006));
        Interrupts.finished();
    }

    @Test
    void anInterruptForAFinishedJobReachesNoOtherJob() {
        assertTrue(Interrupts.starting(2_001));
        Interrupts.finished();
        Interrupts.command(Interrupts.COMMAND + 2_001);
        assertTrue(Interrupts.starting(2_002));
        assertFalse(Thread.currentThread().isInterrupted(), "the next job's thread is not interrupted");
        Interrupts.finished();
    }

    @Test
    void theRunningJobsThreadIsInterruptedAndTheInterruptEndsWithIt() {
        assertTrue(Interrupts.starting(3_001));
        Interrupts.command(Interrupts.COMMAND + 3_001);
        assertTrue(Thread.currentThread().isInterrupted());
        Interrupts.finished();
        assertFalse(Thread.currentThread().isInterrupted(), "cleared when the job ends");
        Interrupts.command("something else");
        Interrupts.command(Interrupts.COMMAND + "not a number");
    }
}

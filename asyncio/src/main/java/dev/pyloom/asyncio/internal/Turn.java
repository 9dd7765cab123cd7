package dev.pyloom.asyncio.internal;

import java.util.concurrent.locks.LockSupport;

/**
 * The right to run, for one thread at a time: granted by another thread, awaited by its owner.
 * The handoff strategy passes an event loop's single turn with these, and a generator passes
 * control between its caller and its body.
 *
 * <p>The flag is the whole state ({@code granted}); {@link LockSupport} parks and wakes the owner.
 * A grant made before the owner awaits is not lost, and a spurious wake-up just parks again.
 * {@code SynchronousQueue} spins badly on a one-carrier scheduler (about 3.5 µs a hand-off); a flag and
 * {@code park}/{@code unpark} do not spin at all.
 */
public final class Turn {

    private volatile Thread owner;
    private volatile boolean granted;

    /** Sets the thread that awaits this turn. */
    public void setOwner(Thread owner) {
        this.owner = owner;
    }

    /** The thread that awaits this turn. */
    public Thread owner() {
        return owner;
    }

    /** Gives the turn to its owner and wakes it. Never blocks. */
    public void grant() {
        granted = true;
        LockSupport.unpark(owner);
    }

    /**
     * Parks the calling thread (the owner) until the turn is granted, and consumes the grant.
     * Interrupts do not end the wait (they would make {@code park} return at once, forever); the
     * thread's interrupt status is restored before returning.
     */
    public void await() {
        boolean interrupted = false;
        while (!granted) {
            LockSupport.park(this);
            if (Thread.interrupted()) {
                interrupted = true;
            }
        }
        granted = false;
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}

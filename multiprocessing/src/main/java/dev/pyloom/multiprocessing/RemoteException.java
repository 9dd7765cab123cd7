package dev.pyloom.multiprocessing;

/**
 * An exception thrown in another process whose type could not be re-created here (not on this
 * class path, or without a usable constructor). Its message names the original type; its cause,
 * a {@link RemoteTraceback}, carries the stack trace from the other process.
 */
public final class RemoteException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String remoteType;

    RemoteException(String remoteType, String remoteMessage, RemoteTraceback traceback) {
        super(remoteType + (remoteMessage == null ? "" : ": " + remoteMessage), traceback);
        this.remoteType = remoteType;
    }

    /** The binary name of the exception's class in the other process. */
    public String remoteType() {
        return remoteType;
    }
}

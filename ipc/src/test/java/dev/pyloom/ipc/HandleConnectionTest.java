package dev.pyloom.ipc;

/**
 * The connection contract for a pipe end that went through a handle: exported before use, so
 * the attaching socket becomes its partner's directly. (Attaching from the same process works
 * the same way as from another; the child-process tests show the rest.)
 */
class HandleConnectionTest extends ConnectionContract {

    @Override
    Ends connect() throws Exception {
        Pipe pipe = Pipe.open();
        Connection reattached = Connection.fromHandle(pipe.conn2().toHandle());
        return new Ends(pipe.conn1(), reattached);
    }
}

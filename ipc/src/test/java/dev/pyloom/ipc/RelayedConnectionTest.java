package dev.pyloom.ipc;

/**
 * The connection contract for a pipe end sent through a handle after it was used: its socket
 * already existed, so this process relays between it and the attaching socket.
 */
class RelayedConnectionTest extends ConnectionContract {

    @Override
    Ends connect() throws Exception {
        Pipe pipe = Pipe.open();
        pipe.conn1().send("warm-up");
        if (!"warm-up".equals(pipe.conn2().recv())) {
            throw new AssertionError("the pipe did not work before export");
        }
        Connection reattached = Connection.fromHandle(pipe.conn2().toHandle());
        return new Ends(pipe.conn1(), reattached);
    }

    @Override
    boolean sendReachesThePeerDirectly() {
        return false; // this process relays the bytes on, after send() has returned
    }
}

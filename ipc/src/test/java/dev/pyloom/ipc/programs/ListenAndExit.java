package dev.pyloom.ipc.programs;

import dev.pyloom.ipc.Listener;
import dev.pyloom.ipc.Pipe;

/** Opens a listener and a pipe, prints the socket file's path, and exits without closing anything. */
public final class ListenAndExit {

    public static void main(String[] args) throws Exception {
        Listener listener = Listener.open();
        Pipe pipe = Pipe.open();
        pipe.conn1().send("makes a socket pair");
        System.out.println(((java.net.UnixDomainSocketAddress) listener.address()).getPath());
    }
}

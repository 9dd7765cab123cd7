package dev.pyloom.ipc;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterEach;

/** The connection contract over TCP on the loopback interface, through a Listener with a key. */
class TcpConnectionTest extends ConnectionContract {

    private Listener listener;

    @Override
    Ends connect() throws Exception {
        listener = Listener.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), ListenerConnectionTest.KEY);
        Connection client = Client.connect(listener.address(), ListenerConnectionTest.KEY);
        return new Ends(client, listener.accept());
    }

    @AfterEach
    void closeListener() throws IOException {
        if (listener != null) {
            listener.close();
        }
    }
}

package dev.pyloom.ipc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;

/** The connection contract over a Unix domain socket, through a Listener with a key. */
class ListenerConnectionTest extends ConnectionContract {

    static final byte[] KEY = "contract key".getBytes(StandardCharsets.UTF_8);

    private Listener listener;

    @Override
    Ends connect() throws Exception {
        listener = Listener.builder().authKey(KEY).open();
        Connection client = Client.connect(listener.address(), KEY);
        return new Ends(client, listener.accept());
    }

    @AfterEach
    void closeListener() throws IOException {
        if (listener != null) {
            listener.close();
        }
    }
}

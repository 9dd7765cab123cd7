package dev.pyloom.multiprocessing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pyloom.ipc.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;

/** The bootstrap and the hello, written and read with and without Jackson's mapper, agree. */
class ProtocolTest {

    private static final Protocol.Bootstrap PLAIN = new Protocol.Bootstrap("pool", "PoolWorker-1", true,
            "/tmp/dir with spaces/é.sock", "a2V5\"\\", "token\n", null, List.of(), null, null);

    private static String line(byte[] encoded) {
        return new String(encoded, StandardCharsets.UTF_8);
    }

    @Test
    void aPlainBootstrapRoundTripsAndReadsAsTheMapperReadsIt() {
        String written = line(PLAIN.encode());
        assertEquals(PLAIN, Protocol.Bootstrap.decode(written));
        assertEquals(PLAIN.address(), Json.mapper().readValue(written, Protocol.Bootstrap.class).address());
        assertEquals(PLAIN, Protocol.Bootstrap.decode(line(Json.mapper().writeValueAsBytes(PLAIN))),
                "the mapper's line, with its null and empty fields, reads the same");
    }

    @Test
    void aBootstrapWithAnInitializerOrATargetGoesThroughTheMapper() {
        TaskRef task = new TaskRef("com.example.Work", "run", "()V", 6, List.of());
        Protocol.Bootstrap pool = new Protocol.Bootstrap("pool", "PoolWorker-2", false, "/a", "k", "t", task,
                List.of(Json.toTree(42), Json.toTree("x")), null, null);
        Protocol.Bootstrap process = new Protocol.Bootstrap("process", "Process-1", false, null, null, null, null,
                List.of(), task, List.of(Json.toTree(List.of(1, 2))));
        assertEquals(pool, Protocol.Bootstrap.decode(line(pool.encode())));
        assertEquals(process, Protocol.Bootstrap.decode(line(process.encode())));
    }

    @Test
    void aBadBootstrapIsRefusedSayingWhy() {
        assertThrows(JacksonException.class, () -> Protocol.Bootstrap.decode("{\"role\":\"pool\",\"surprise\":1}"));
        assertThrows(JacksonException.class, () -> Protocol.Bootstrap.decode("{\"role\":\"pool\"} trailing"));
        assertThrows(JacksonException.class, () -> Protocol.Bootstrap.decode("{\"daemon\":\"yes\"}"));
        assertThrows(JacksonException.class, () -> Protocol.Bootstrap.decode("not json"));
    }

    @Test
    void theHelloRoundTripsAndAnythingElseIsAnIOException() throws IOException {
        Protocol.Hello hello = new Protocol.Hello("0123abcd", 4242);
        assertEquals(hello, Protocol.Hello.decode(hello.encode()));
        assertEquals(hello, Protocol.Hello.decode("{\"pid\":4242,\"extra\":[1],\"token\":\"0123abcd\"}".getBytes(StandardCharsets.UTF_8)));
        for (String bad : List.of("", "{}", "{\"token\":\"t\"}", "{\"token\":1,\"pid\":2}", "[1,2]", "{\"token\":\"t\",\"pid\":")) {
            assertThrows(IOException.class, () -> Protocol.Hello.decode(bad.getBytes(StandardCharsets.UTF_8)), bad);
        }
    }
}

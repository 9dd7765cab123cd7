package dev.pyloom.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The wire never makes the receiver load or build a class it did not ask for: messages that name
 * a class in every way Jackson's polymorphic typing understands decode as plain maps and lists
 * (or fail as the wrong shape), and the gadget class is never initialized.
 */
class NoClassNamesFromTheWireTest {

    private static final String GADGET = "dev.pyloom.ipc.Gadget";

    record Holder(Object value) {}

    record Listing(List<Object> values) {}

    private Listener listener;

    @BeforeEach
    void open() throws Exception {
        System.clearProperty(Gadget.TRIPWIRE);
        listener = Listener.open();
    }

    @AfterEach
    void nothingWasLoaded() throws Exception {
        listener.close();
        assertNull(System.getProperty(Gadget.TRIPWIRE), "the gadget class was initialized by a message");
    }

    /** Writes {@code json} as a message frame, as a hostile peer would, and receives it as a {@code type}. */
    private Object receiveAs(String json, Class<?> type) throws Exception {
        try (RawPeer peer = RawPeer.connect(listener.address()); Connection accepted = listener.accept()) {
            peer.frame(1, json.getBytes(StandardCharsets.UTF_8));
            return accepted.recv(type);
        }
    }

    @Test
    void aClassPropertyIsJustAProperty() throws Exception {
        Object value = receiveAs("{\"@class\":\"" + GADGET + "\",\"x\":1}", Object.class);
        assertEquals(Map.of("@class", GADGET, "x", 1), value);
    }

    @Test
    void aWrapperArrayIsJustAnArray() throws Exception {
        Object value = receiveAs("[\"" + GADGET + "\",{}]", Object.class);
        assertEquals(List.of(GADGET, Map.of()), value);
    }

    @Test
    void aTypeIdInsideAnObjectFieldIsJustAMap() throws Exception {
        Holder holder = (Holder) receiveAs("{\"value\":{\"@type\":\"" + GADGET + "\"}}", Holder.class);
        assertEquals(Map.of("@type", GADGET), holder.value());
        Holder wrapped = (Holder) receiveAs("{\"value\":[\"" + GADGET + "\",{}]}", Holder.class);
        assertInstanceOf(List.class, wrapped.value());
    }

    @Test
    void typeIdsInAListOfObjectsStayData() throws Exception {
        Listing listing = (Listing) receiveAs("{\"values\":[{\"@c\":\".Gadget\"},[\"" + GADGET + "\",{}]]}", Listing.class);
        assertEquals(2, listing.values().size());
    }

    @Test
    void askingForAConcreteTypeNeverWidensToTheNamedOne() throws Exception {
        assertThrows(MalformedMessageException.class,
                () -> receiveAs("{\"@class\":\"" + GADGET + "\",\"value\":1}", Holder.class));
    }
}

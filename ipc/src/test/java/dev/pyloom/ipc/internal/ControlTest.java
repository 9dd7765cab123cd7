package dev.pyloom.ipc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Control frames are read and written without an object mapper: every kind of JSON value
 * survives the trip, reads as Jackson's mapper reads it, and bad JSON is refused.
 */
class ControlTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private static JsonNode roundTrip(JsonNode tree) {
        byte[] bytes = Control.write(tree);
        return Control.read(bytes, 0, bytes.length);
    }

    private static JsonNode read(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return Control.read(bytes, 0, bytes.length);
    }

    @Test
    void everyKindOfValueSurvivesAndReadsAsTheMapperReadsIt() {
        ObjectNode tree = Control.op("attach");
        tree.put("int", 7).put("negative", -2_000_000_000).put("long", Long.MIN_VALUE)
                .put("big", new BigInteger("123456789012345678901234567890")).put("double", 0.1)
                .put("text", "é ✓ 😀 \"quoted\" \\ back\nslash\ttab\u0000nul").put("yes", true).put("no", false)
                .putNull("nothing");
        tree.putArray("list").add(1).add("two").add(3.5).addNull().addObject().put("nested", "deep");
        tree.putObject("empty");
        tree.putArray("none");
        String written = new String(Control.write(tree), StandardCharsets.UTF_8);
        assertEquals(MAPPER.readTree(written), roundTrip(tree));
        assertEquals(MAPPER.readTree(written), read(written));
        assertEquals(tree, MAPPER.readTree(written), "what the mapper reads back is the tree written");
    }

    @Test
    void decimalsAndBinaryAreWrittenAsTheMapperWritesThem() {
        ObjectNode tree = Control.object();
        tree.put("decimal", new BigDecimal("1.25")).put("bytes", new byte[] {1, 2, 3, (byte) 0xff});
        assertEquals(MAPPER.readTree(MAPPER.writeValueAsBytes(tree)), MAPPER.readTree(Control.write(tree)));
    }

    @Test
    void aMissingPropertyIsLeftOut() {
        ObjectNode tree = Control.op("x");
        tree.set("gone", tree.path("absent"));
        assertEquals(MAPPER.readTree("{\"op\":\"x\"}"), read(new String(Control.write(tree), StandardCharsets.UTF_8)));
    }

    @Test
    void nothingReadsAsNullAndBadJsonIsRefused() {
        assertNull(read(""));
        assertNull(read("   "));
        assertThrows(JacksonException.class, () -> read("{\"op\":"));
        assertThrows(JacksonException.class, () -> read("{\"op\":\"a\"} {\"op\":\"b\"}"), "trailing content");
        assertThrows(JacksonException.class, () -> read("{\"op\":'single'}"));
        assertThrows(JacksonException.class, () -> read("[1,2"));
    }

    @Test
    void aMessageNestedDeeperThanControlMessagesGoIsRefusedNotRecursedInto() {
        read("[".repeat(Control.MAX_DEPTH) + "]".repeat(Control.MAX_DEPTH));
        assertThrows(JacksonException.class, () -> read("[".repeat(Control.MAX_DEPTH + 1) + "]".repeat(Control.MAX_DEPTH + 1)));
        assertThrows(JacksonException.class, () -> read("[".repeat(100_000)));
    }

    @Test
    void aRepeatedKeyKeepsTheLastValueAsTheMapperDoes() {
        assertEquals(MAPPER.readTree("{\"op\":\"a\",\"op\":\"b\"}"), read("{\"op\":\"a\",\"op\":\"b\"}"));
    }
}

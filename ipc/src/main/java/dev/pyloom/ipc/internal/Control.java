package dev.pyloom.ipc.internal;

import dev.pyloom.ipc.MalformedMessageException;
import java.io.IOException;
import java.util.Base64;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * CONTROL frames: the library's own small JSON objects, each with an {@code "op"} naming what it
 * is ({@code hello}, {@code challenge}, {@code attach}, {@code get}, ...). Read as a tree, never
 * bound to a class.
 */
public final class Control {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Control() {}

    /** A new, empty JSON object. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** A new control object with its op. */
    public static ObjectNode op(String op) {
        return MAPPER.createObjectNode().put("op", op);
    }

    public static void send(FrameChannel channel, ObjectNode message) throws IOException {
        byte[] payload = MAPPER.writeValueAsBytes(message);
        channel.write(FrameKind.CONTROL, payload, 0, payload.length);
    }

    /** A control message as a frame, to be written together with others. */
    public static Frame frame(ObjectNode message) {
        return new Frame(FrameKind.CONTROL, MAPPER.writeValueAsBytes(message));
    }

    /** Reads the next frame, which must be a CONTROL frame holding a JSON object with an op. */
    public static JsonNode receive(FrameChannel channel) throws IOException {
        return channel.read((kind, array, offset, length) -> {
            if (kind != FrameKind.CONTROL) {
                throw channel.failed(new MalformedMessageException("expected a control frame, got " + kind));
            }
            return parse(channel, array, offset, length);
        });
    }

    /** Parses a CONTROL payload; a payload that is not an object with an op closes the channel. */
    public static JsonNode parse(FrameChannel channel, byte[] array, int offset, int length) throws IOException {
        JsonNode node;
        try {
            node = MAPPER.readTree(array, offset, length);
        } catch (JacksonException e) {
            throw channel.failed(new MalformedMessageException("control frame is not JSON: " + e.getOriginalMessage(), e));
        }
        if (node == null || !node.isObject() || !node.path("op").isString()) {
            throw channel.failed(new MalformedMessageException("control frame without an op: " + abbreviate(node)));
        }
        return node;
    }

    /** The op of a control object. */
    public static String opOf(JsonNode node) {
        return node.path("op").asString();
    }

    public static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** Decodes a base64 field; a missing or malformed one is an empty array. */
    public static byte[] unbase64(JsonNode node, String field) {
        try {
            return Base64.getDecoder().decode(node.path(field).asString(""));
        } catch (IllegalArgumentException notBase64) {
            return new byte[0];
        }
    }

    private static String abbreviate(JsonNode node) {
        String text = String.valueOf(node);
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }
}

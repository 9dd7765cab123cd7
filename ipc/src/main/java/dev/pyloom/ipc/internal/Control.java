package dev.pyloom.ipc.internal;

import dev.pyloom.ipc.MalformedMessageException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.NumericNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * CONTROL frames: the library's own small JSON objects, each with an {@code "op"} naming what it
 * is ({@code hello}, {@code challenge}, {@code attach}, {@code get}, ...). Read as a tree, never
 * bound to a class.
 *
 * <p>The trees are read and written here, token by token, without an object mapper: every
 * connection's handshake goes through this class, and building a mapper would be a good part of
 * a short-lived process's start (a pool's worker).
 */
public final class Control {

    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** How deep a control message may nest: pyloom's go two levels down; a peer's deeper one is refused. */
    static final int MAX_DEPTH = 16;

    private Control() {}

    /** A new, empty JSON object. */
    public static ObjectNode object() {
        return NODES.objectNode();
    }

    /** A new control object with its op. */
    public static ObjectNode op(String op) {
        return NODES.objectNode().put("op", op);
    }

    public static void send(FrameChannel channel, ObjectNode message) throws IOException {
        byte[] payload = write(message);
        channel.write(FrameKind.CONTROL, payload, 0, payload.length);
    }

    /** A control message as a frame, to be written together with others. */
    public static Frame frame(ObjectNode message) {
        return new Frame(FrameKind.CONTROL, write(message));
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
            node = read(array, offset, length);
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

    /** A tree as JSON. */
    static byte[] write(JsonNode tree) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator json = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            write(json, tree);
        }
        return out.toByteArray();
    }

    private static void write(JsonGenerator json, JsonNode node) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                json.writeStartObject();
                for (Map.Entry<String, JsonNode> property : node.properties()) {
                    if (!property.getValue().isMissingNode()) {
                        json.writeName(property.getKey());
                        write(json, property.getValue());
                    }
                }
                json.writeEndObject();
            }
            case ARRAY -> {
                json.writeStartArray();
                for (JsonNode element : node) {
                    write(json, element);
                }
                json.writeEndArray();
            }
            case STRING -> json.writeString(node.stringValue());
            case NUMBER -> {
                switch (((NumericNode) node).numberType()) {
                    case INT -> json.writeNumber(node.intValue());
                    case LONG -> json.writeNumber(node.longValue());
                    case BIG_INTEGER -> json.writeNumber(node.bigIntegerValue());
                    case BIG_DECIMAL -> json.writeNumber(node.decimalValue());
                    default -> json.writeNumber(node.doubleValue());
                }
            }
            case BOOLEAN -> json.writeBoolean(node.booleanValue());
            case BINARY -> json.writeBinary(node.binaryValue());
            case NULL, MISSING -> json.writeNull();
            case POJO -> throw new IllegalArgumentException("a control message holds only JSON values, not " + node);
        }
    }

    /** JSON as a tree; null if there is none; a {@code JacksonException} if it is not JSON, or more than one value. */
    static JsonNode read(byte[] array, int offset, int length) {
        try (JsonParser json = JSON.createParser(ObjectReadContext.empty(), array, offset, length)) {
            JsonToken first = json.nextToken();
            if (first == null) {
                return null;
            }
            JsonNode tree = read(json, first, 0);
            if (json.nextToken() != null) {
                throw new StreamReadException(json, "trailing content after the JSON value");
            }
            return tree;
        }
    }

    private static JsonNode read(JsonParser json, JsonToken token, int depth) {
        if ((token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) && depth >= MAX_DEPTH) {
            throw new StreamReadException(json, "a control message nested deeper than " + MAX_DEPTH + " levels");
        }
        return switch (token) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                for (String name = json.nextName(); name != null; name = json.nextName()) {
                    object.set(name, read(json, json.nextToken(), depth + 1));
                }
                yield object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                for (JsonToken next = json.nextToken(); next != JsonToken.END_ARRAY; next = json.nextToken()) {
                    array.add(read(json, next, depth + 1));
                }
                yield array;
            }
            case VALUE_STRING -> NODES.stringNode(json.getString());
            case VALUE_NUMBER_INT -> switch (json.getNumberType()) {
                case INT -> NODES.numberNode(json.getIntValue());
                case LONG -> NODES.numberNode(json.getLongValue());
                default -> NODES.numberNode(json.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(json.getDoubleValue());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            default -> throw new StreamReadException(json, "unexpected " + token + " in a control message");
        };
    }

    private static String abbreviate(JsonNode node) {
        String text = String.valueOf(node);
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }
}

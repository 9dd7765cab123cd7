package dev.pyloom.ipc;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON codec every pyloom message uses, for code that builds its own messages on top of
 * {@link Connection} (as the {@code multiprocessing} module does with task arguments): the same
 * strict rules, and the same handling of connections and queues, which become handles on the
 * way out and live objects on the way in.
 */
public final class Json {

    private Json() {}

    /**
     * {@code value} as a JSON tree.
     *
     * @throws IllegalArgumentException if it cannot be encoded, saying why
     */
    public static JsonNode toTree(Object value) {
        try {
            return Codec.MAPPER.valueToTree(value);
        } catch (JacksonException e) {
            throw encodingFailure(value, e);
        }
    }

    /**
     * A JSON tree as a {@code type} (a {@code Class}, or a {@code ParameterizedType} such as a
     * method's generic parameter type).
     *
     * @throws MalformedMessageException if the tree is not of that shape
     * @throws IOException               if a handle inside it cannot be reconnected
     */
    public static <T> T fromTree(JsonNode tree, Type type) throws IOException {
        Objects.requireNonNull(type, "type");
        try {
            return Codec.MAPPER.treeToValue(tree, Codec.type(type));
        } catch (JacksonException e) {
            IOException handleFailure = Codec.handleFailureIn(e);
            if (handleFailure != null) {
                throw handleFailure;
            }
            throw new MalformedMessageException("cannot decode a " + type.getTypeName() + " from " + abbreviate(tree)
                    + ": " + e.getOriginalMessage() + ModuleAccess.hint(e, null, type), e);
        }
    }

    /**
     * Whether {@code tree} is the handle of a connection or a queue, which becomes a live object
     * (and uses up the handle) when decoded.
     */
    public static boolean isHandle(JsonNode tree) {
        return tree != null && tree.isObject() && tree.path("pyloom").isString();
    }

    /**
     * The mapper behind every pyloom message, for code that streams its own messages (reading
     * and writing many values in one pass, where trees would cost too much): the same strict
     * rules and handle support as everything above. Jackson's exceptions from it can be turned
     * into pyloom's with {@link #failure(JacksonException, String)}.
     */
    public static JsonMapper mapper() {
        return Codec.MAPPER;
    }

    /**
     * The pyloom exception for a decoding failure of {@link #mapper()}: the {@code IOException}
     * of a handle that could not be reconnected, or a {@link MalformedMessageException} saying
     * that {@code what} could not be decoded, and why.
     */
    public static IOException failure(JacksonException e, String what) {
        IOException handleFailure = Codec.handleFailureIn(e);
        return handleFailure != null ? handleFailure
                : new MalformedMessageException("cannot decode " + what + ": " + e.getOriginalMessage()
                        + ModuleAccess.hint(e, null, null), e);
    }

    /**
     * The pyloom exception for an encoding failure of {@link #mapper()}: an
     * {@code IllegalArgumentException} saying that {@code value} cannot be sent as JSON, and why;
     * where the module system is why, it names the {@code opens} line to add.
     */
    public static IllegalArgumentException encodingFailure(Object value, JacksonException e) {
        return new IllegalArgumentException("cannot send " + (value == null ? "null" : "a " + value.getClass().getName())
                + " as JSON: " + e.getOriginalMessage() + ModuleAccess.hint(e, value, null), e);
    }

    private static String abbreviate(JsonNode tree) {
        String text = String.valueOf(tree);
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }
}

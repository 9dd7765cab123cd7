package dev.pyloom.ipc;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

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
            throw new IllegalArgumentException("cannot send " + (value == null ? "null" : "a " + value.getClass().getName())
                    + " as JSON: " + e.getOriginalMessage(), e);
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
                    + ": " + e.getOriginalMessage(), e);
        }
    }

    private static String abbreviate(JsonNode tree) {
        String text = String.valueOf(tree);
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }
}
